#include "repl/slash_commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

#include "core/output.h"
#include "core/text.h"
#include "mcp/summary.h"
#include "repl/banner.h"
#include "repl/self_command.h"
#include "repl/todos.h"
#include "routing/risk.h"
#include "runs/run_store.h"

namespace omk::repl {
namespace {

struct Entry {
  std::string usage;
  std::string summary;
  std::function<SlashOutcome(Session&, const std::string&)> run;
};

// The command line that starts a session like this one with `flag value` changed.
std::string restart_command(const Session& session, const std::string& provider,
                            const std::string& model) {
  std::string command = "omk chat";
  if (!provider.empty()) command += " --provider " + provider;
  if (!model.empty()) command += " --model " + model;
  if (session.options.execution) {
    command += fmt::format(" --execution {}", routing::to_string(*session.options.execution));
  }
  if (session.options.sandbox) {
    command += fmt::format(" --sandbox {}", sandbox::to_string(*session.options.sandbox));
  }
  return command;
}

SlashOutcome provider_command(Session& session, const std::string& args) {
  std::string current = session.options.provider.empty()
                            ? session.context.config.string("runtime.provider")
                            : session.options.provider;
  std::string id = args.substr(0, args.find(' '));
  if (id.empty()) {
    print_out(provider_line(session) + "\n");
    print_out(fmt::format(
        "The provider is chosen when a session starts (now: {}). To use another one, leave "
        "and run: {}\n",
        current, restart_command(session, "ID", session.options.model)));
    return SlashOutcome::kContinue;
  }
  print_out(fmt::format(
      "The provider cannot change inside a session (it decides the sandbox, the flags and the "
      "recorded run). Leave with /exit and run:\n  {}\n",
      restart_command(session, id, "")));
  return SlashOutcome::kContinue;
}

SlashOutcome model_command(Session& session, const std::string& args) {
  std::string model = args.substr(0, args.find(' '));
  std::string current =
      session.options.model.empty() ? "the provider's default" : session.options.model;
  std::string provider = session.options.provider;
  if (provider.empty() || provider == "auto") provider = "ID";
  if (model.empty()) {
    print_out(fmt::format(
        "Model: {}. The model is chosen when a session starts, with a named provider: {}\n",
        current, restart_command(session, provider, "MODEL")));
    return SlashOutcome::kContinue;
  }
  print_out(
      fmt::format("The model cannot change inside a session. Leave with /exit and run:\n  {}\n",
                  restart_command(session, provider, model)));
  return SlashOutcome::kContinue;
}

SlashOutcome risk_command(Session& session, const std::string& args) {
  std::string level = args;
  std::transform(level.begin(), level.end(), level.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (level.empty()) {
    print_out(session.risk_override
                  ? fmt::format("risk: {} for every turn (/risk auto to infer it again)\n",
                                routing::to_string(*session.risk_override))
                  : "risk: inferred from each prompt (/risk read|write|shell|merge to set it)\n");
    return SlashOutcome::kContinue;
  }
  if (level == "auto") {
    session.risk_override.reset();
    print_out("risk: inferred from each prompt again\n");
    return SlashOutcome::kContinue;
  }
  std::optional<routing::Risk> risk = routing::parse_risk(level);
  if (!risk) {
    print_out(fmt::format("unknown risk \"{}\": use /risk read|write|shell|merge|auto\n", args));
    return SlashOutcome::kContinue;
  }
  session.risk_override = risk;
  print_out(
      fmt::format("risk: {} for the next turns (recorded in each turn next to the inferred risk)\n",
                  routing::to_string(*risk)));
  return SlashOutcome::kContinue;
}

SlashOutcome mcp_command(Session& session, const std::string& args) {
  if (args.empty()) {
    print_out(mcp::render_offline_summary(session.inventory));
    print_out("(offline: nothing was started; /mcp check starts each server and checks it)\n");
    return SlashOutcome::kContinue;
  }
  if (args == "check") {
    run_self(session.options.project_root, {"mcp", "check", "--all"}, session.options.env);
    return SlashOutcome::kContinue;
  }
  print_out("usage: /mcp (offline summary) or /mcp check (starts and checks every server)\n");
  return SlashOutcome::kContinue;
}

SlashOutcome runs_command(Session& session, const std::string&) {
  runs::RunStore store(session.options.project_root);
  std::vector<std::string> ids = store.list_run_ids();
  if (ids.empty()) {
    print_out("No runs yet.\n");
    return SlashOutcome::kContinue;
  }
  size_t first = ids.size() > 10 ? ids.size() - 10 : 0;
  std::string out;
  for (size_t i = ids.size(); i-- > first;) {
    try {
      runs::RunSummary summary = runs::summarize_run(store, ids[i]);
      out += fmt::format("  {}  {:<11}  {}{}\n", summary.id, runs::to_string(summary.status),
                         summary.goal, summary.id == session.run_id() ? "  (this session)" : "");
    } catch (const std::exception&) {
      out += fmt::format("  {}  (unreadable)\n", ids[i]);
    }
  }
  out += "omk inspect RUN shows one.\n";
  print_out(out);
  return SlashOutcome::kContinue;
}

const std::map<std::string, Entry>& commands() {
  static const std::map<std::string, Entry> table = {
      {"/help",
       {"/help", "this list",
        [](Session&, const std::string&) {
          print_out(slash_help());
          return SlashOutcome::kContinue;
        }}},
      {"/status",
       {"/status", "project, provider, execution, sandbox, session run, todos",
        [](Session& session, const std::string&) {
          print_out(status_text(session));
          return SlashOutcome::kContinue;
        }}},
      {"/provider",
       {"/provider [ID]", "the provider (changing it needs a restart)", provider_command}},
      {"/model", {"/model [M]", "the model (changing it needs a restart)", model_command}},
      {"/risk",
       {"/risk [read|write|shell|merge|auto]", "set the risk of the next turns", risk_command}},
      {"/mcp",
       {"/mcp [check]", "MCP summary (offline); check starts and checks the servers", mcp_command}},
      {"/doctor",
       {"/doctor", "omk doctor",
        [](Session& session, const std::string&) {
          run_self(session.options.project_root, {"doctor"}, session.options.env);
          return SlashOutcome::kContinue;
        }}},
      {"/runs", {"/runs", "the last runs, this session's among them", runs_command}},
      {"/todo",
       {"/todo", "the checklist collected from the agent's answers",
        [](Session& session, const std::string&) {
          print_out(render_todos(load_todos(session.options.project_root)));
          return SlashOutcome::kContinue;
        }}},
      {"/clear",
       {"/clear", "clear the screen",
        [](Session&, const std::string&) {
          print_out("\033[H\033[2J");
          return SlashOutcome::kContinue;
        }}},
      {"/exit",
       {"/exit", "leave (also /quit, exit, quit, :q, Ctrl-D)",
        [](Session&, const std::string&) { return SlashOutcome::kExit; }}},
      {"/quit", {"", "", [](Session&, const std::string&) { return SlashOutcome::kExit; }}},
  };
  return table;
}

}  // namespace

std::optional<SlashCommand> parse_slash(std::string_view line) {
  std::string text(trim_line(line));
  if (text.empty() || text[0] != '/') return std::nullopt;
  size_t space = text.find_first_of(" \t");
  SlashCommand command;
  command.name = text.substr(0, space);
  std::transform(command.name.begin(), command.name.end(), command.name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (space != std::string::npos)
    command.args = std::string(trim_line(std::string_view(text).substr(space)));
  return command;
}

std::string slash_help() {
  std::string out = "Commands:\n";
  for (const auto& [name, entry] : commands()) {
    if (entry.usage.empty()) continue;
    out += fmt::format("  {:<36} {}\n", entry.usage, entry.summary);
  }
  out += "Anything else is a request for the agent. Ctrl-C stops a running turn.\n";
  return out;
}

SlashOutcome run_slash(Session& session, const SlashCommand& command) {
  auto found = commands().find(command.name);
  if (found == commands().end()) {
    std::string names;
    for (const auto& [name, entry] : commands()) {
      if (!entry.usage.empty()) names += (names.empty() ? "" : " ") + name;
    }
    print_out(
        fmt::format("Unknown command {}. Commands: {} (/help explains them). Nothing was "
                    "sent to the agent.\n",
                    command.name, names));
    return SlashOutcome::kContinue;
  }
  return found->second.run(session, command.args);
}

}  // namespace omk::repl
