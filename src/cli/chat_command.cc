// `omk chat` (and bare `omk` on a terminal): the interactive root loop, or one turn with --once
// or a prompt on stdin. The loop itself is the repl layer; this file turns flags into options.
#include <unistd.h>

#include <fmt/format.h>

#include "cli/context.h"
#include "cli/stdin_input.h"
#include "core/error.h"
#include "repl/chat.h"
#include "routing/risk.h"

namespace omk::cli {
namespace {

constexpr size_t kStdinPromptLimit = 4 * 1024 * 1024;

struct ChatFlags {
  std::string provider;
  std::string model;
  std::string execution;
  std::string sandbox;
  std::string mcp_scope;
  std::string risk;
  std::string once_text;
  std::optional<std::string> once;  // --once given (even with an empty prompt)
  bool json = false;
};

int start_chat(Context& context, const ChatFlags& flags) {
  repl::ChatOptions options;
  if (!flags.mcp_scope.empty()) {
    if (flags.mcp_scope != "project" && flags.mcp_scope != "all" && flags.mcp_scope != "none") {
      throw usage_error(fmt::format("--mcp-scope \"{}\" is not a scope: use project, all or none",
                                    flags.mcp_scope));
    }
    context.env["OMK_MCP_SCOPE"] = flags.mcp_scope;  // read by the configuration like the env
  }
  if (!flags.execution.empty()) {
    options.execution = routing::parse_execution(flags.execution);
    if (!options.execution) {
      throw usage_error(
          fmt::format("--execution \"{}\" is not a mode: use ask, auto or never", flags.execution));
    }
  }
  if (!flags.sandbox.empty()) {
    options.sandbox = sandbox::parse_profile(flags.sandbox);
    if (!options.sandbox) {
      throw usage_error(fmt::format(
          "--sandbox \"{}\" is not a profile: use read-only, workspace-write or full-access",
          flags.sandbox));
    }
  }
  if (!flags.risk.empty() && flags.risk != "auto") {
    options.risk = routing::parse_risk(flags.risk);
    if (!options.risk) {
      throw usage_error(fmt::format(
          "--risk \"{}\" is not a risk: use read, write, shell, merge or auto", flags.risk));
    }
  }
  if (!flags.model.empty() && (flags.provider.empty() || flags.provider == "auto")) {
    throw usage_error(
        "--model needs --provider: a model belongs to one provider (omk chat "
        "--provider ID --model MODEL)");
  }
  options.interactive = ::isatty(STDIN_FILENO) == 1;
  options.once = flags.once;
  if (!options.once && !options.interactive) {
    // A prompt piped in: one turn, so scripts never wait on a prompt nobody answers.
    std::optional<std::string> text = read_stdin(kStdinPromptLimit);
    if (!text) {
      throw usage_error(fmt::format("the prompt on stdin is larger than {} MiB",
                                    kStdinPromptLimit / (1024 * 1024)));
    }
    options.once = *text;
  }
  if (flags.json && !options.once) {
    throw usage_error(
        "--json needs --once \"PROMPT\" (or a prompt on stdin): it prints one "
        "turn's document");
  }
  options.json = flags.json;
  ProjectRoot root = context.project_root();
  options.project_root = root.path;
  options.config = context.config(root);
  options.env = context.env;
  options.provider = flags.provider;
  options.model = flags.model;
  return repl::run_chat(std::move(options));
}

}  // namespace

int start_chat_session(Context& context) {
  return start_chat(context, ChatFlags{});
}

void register_chat_command(CLI::App& app, Context& context) {
  auto flags = std::make_shared<ChatFlags>();
  CLI::App* chat = app.add_subcommand(
      "chat",
      "The interactive root loop: each request is routed to a healthy agent by its risk and run "
      "in the sandbox (also bare `omk` on a terminal)");
  chat->add_option("--provider", flags->provider,
                   "Provider for this session (an id, auto, authority); fixed until restart")
      ->type_name("ID");
  chat->add_option("--model", flags->model, "Model of the named provider")->type_name("MODEL");
  chat->add_option("--execution", flags->execution,
                   "Approval policy: ask (y/N on the terminal), auto, never")
      ->type_name("MODE");
  chat->add_option("--sandbox", flags->sandbox,
                   "Most permissive sandbox a write turn may get: read-only, workspace-write, "
                   "full-access")
      ->type_name("PROFILE");
  chat->add_option("--mcp-scope", flags->mcp_scope,
                   "Which MCP configs are active: project, all, none")
      ->type_name("SCOPE");
  chat->add_option("--risk", flags->risk,
                   "Risk of every turn instead of inferring it: read, write, shell, merge, auto")
      ->type_name("LEVEL");
  CLI::Option* once = chat->add_option("--once", flags->once_text,
                                       "Run one turn with PROMPT and exit with its status")
                          ->type_name("PROMPT");
  chat->add_flag("--json", flags->json, "With --once: print one omk.turn.v1 document");
  chat->callback([&context, flags, once] {
    if (once->count() > 0) flags->once = flags->once_text;
    context.action = [&context, flags] { return start_chat(context, *flags); };
  });
}

}  // namespace omk::cli
