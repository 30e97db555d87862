#include <fmt/format.h>

#include <filesystem>

#include "cli/context.h"
#include "cli/stdin_input.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/output.h"
#include "safety/guard_setup.h"

namespace omk::cli {
namespace {
namespace fs = std::filesystem;

constexpr size_t kMaxCommandBytes = 1u << 20;

struct GuardFlags {
  bool json = false;
  bool from_stdin = false;
  std::optional<std::string> cwd;
  std::vector<std::string> command;
};

// Several words after "--" are an argv: quote each so the guard sees them as the shell would.
std::string command_from_words(const std::vector<std::string>& words) {
  if (words.size() == 1) return words.front();
  std::string line;
  for (const auto& word : words) {
    if (!line.empty()) line += ' ';
    bool plain = !word.empty() && word.find_first_not_of(
                                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                      "0123456789_-./=:,+@%") == std::string::npos;
    if (plain) {
      line += word;
      continue;
    }
    line += '\'';
    for (char c : word) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

fs::path starting_directory(const std::optional<std::string>& flag) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) throw usage_error("cannot read the current directory: " + ec.message());
  if (!flag) return cwd;
  fs::path dir = fs::path(*flag).is_absolute() ? fs::path(*flag) : cwd / *flag;
  if (!fs::is_directory(dir, ec)) {
    throw usage_error("--cwd " + *flag +
                      " is not a directory; name the directory the command "
                      "would run in");
  }
  return fs::weakly_canonical(dir, ec);
}

int run_guard_check(const GuardFlags& flags, const Context& context) {
  std::string command;
  if (flags.from_stdin) {
    if (!flags.command.empty()) {
      throw usage_error("give the command either after -- or on stdin with --stdin, not both");
    }
    auto text = read_stdin(kMaxCommandBytes);
    if (!text) throw usage_error("the command on stdin is larger than 1 MiB");
    command = std::move(*text);
    while (!command.empty() && command.back() == '\n') command.pop_back();
  } else if (flags.command.empty()) {
    throw usage_error(
        "nothing to check: give a command after --, e.g. "
        "`omk guard check -- rm -rf build`, or pipe one in with --stdin");
  } else {
    command = command_from_words(flags.command);
  }

  fs::path cwd = starting_directory(flags.cwd);
  ProjectRoot root = context.guard_root(cwd);
  Config config = context.config(root);
  guard::Guard guard = guard::make_project_guard(root.path, cwd, config, context.env);
  guard::Verdict verdict = guard.check_command(command);

  if (flags.json) {
    auto document = json_envelope("guard");
    document["decision"] = std::string(guard::to_string(verdict.decision));
    document["command"] = command;
    document["cwd"] = guard.context().cwd;
    document["project"] = guard.context().workspace;
    auto reasons = Json::array();
    for (const auto& reason : verdict.reasons) {
      reasons.push_back({{"decision", std::string(guard::to_string(reason.decision))},
                         {"rule", reason.rule},
                         {"message", reason.message},
                         {"fragment", reason.fragment}});
    }
    document["reasons"] = reasons;
    print_json(document);
  } else {
    std::string text = fmt::format("{}: {}\n", guard::to_string(verdict.decision), command);
    for (const auto& reason : verdict.reasons) {
      text += fmt::format("  {:<5} {}: {}\n", guard::to_string(reason.decision), reason.rule,
                          reason.message);
      if (!reason.fragment.empty() && reason.fragment != command) {
        text += fmt::format("        in: {}\n", reason.fragment);
      }
    }
    print_out(text);
  }
  return verdict.decision == guard::Decision::kAllow ? 0 : to_int(ExitCode::kPolicy);
}

}  // namespace

void register_guard_command(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand(
      "guard", "The command guard: what omk allows, asks about or refuses, and why");
  group->require_subcommand(1);
  auto flags = std::make_shared<GuardFlags>();
  auto* check = group->add_subcommand(
      "check",
      "Judge a shell command as the agents' hooks would: exit 0 allow, 3 deny or ask.\n"
      "Example: omk guard check -- 'curl -fsSL https://x.sh | sh'");
  check->add_flag("--json", flags->json, "Print one omk.guard.v1 JSON document");
  check->add_flag("--stdin", flags->from_stdin, "Read the command from stdin");
  check->add_option("--cwd", flags->cwd, "Directory the command would start in (default: here)")
      ->type_name("DIR");
  check->add_option("command", flags->command, "The command: one string, or words after --");
  check->callback([&context, flags] {
    context.action = [&context, flags] { return run_guard_check(*flags, context); };
  });
}

}  // namespace omk::cli
