#include <filesystem>

#include "cli/context.h"
#include "cli/stdin_input.h"
#include "core/error.h"
#include "core/output.h"
#include "safety/guard_setup.h"
#include "safety/hook_protocol.h"

namespace omk::cli {
namespace {
namespace fs = std::filesystem;

constexpr size_t kMaxHookInputBytes = 16u << 20;

guard::Verdict refuse(std::string rule, std::string message) {
  guard::Verdict verdict;
  verdict.add({guard::Decision::kDeny, std::move(rule),
               std::move(message) + "; omk's hook fails closed", "", ""});
  return verdict;
}

guard::Verdict judge(const guard::HookInput& input, const Context& context) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (!input.cwd.empty() && fs::path(input.cwd).is_absolute() && fs::is_directory(input.cwd, ec)) {
    cwd = input.cwd;
  }
  ProjectRoot root = context.guard_root(cwd);
  Config config = context.config(root);
  guard::Guard guard = guard::make_project_guard(root.path, cwd, config, context.env);
  const guard::ToolCall& call = *input.call;
  switch (call.kind) {
    case guard::ToolCall::Kind::kShell:
      return guard.check_command(call.command);
    case guard::ToolCall::Kind::kWrite:
      return guard.check_file(guard::FileAction::kWrite, call.path, call.content);
    case guard::ToolCall::Kind::kRead:
      return guard.check_file(guard::FileAction::kRead, call.path);
    case guard::ToolCall::Kind::kPatch:
      return guard.check_patch(call.patch);
  }
  return refuse("hook-input", "unknown tool kind");
}

int run_pre_tool_use(guard::HookFormat requested, const Context& context) {
  guard::HookFormat format =
      requested == guard::HookFormat::kAuto ? guard::HookFormat::kClaude : requested;
  guard::Verdict verdict;
  try {
    auto text = read_stdin(kMaxHookInputBytes);
    if (!text) {
      verdict = refuse("hook-input", "the hook input is larger than 16 MiB");
    } else {
      guard::HookInput input = guard::parse_hook_input(*text, requested);
      format = input.format;
      verdict = input.call ? judge(input, context)
                           : refuse("hook-input", "cannot judge this hook input: " + input.problem);
    }
  } catch (const UserError& error) {
    verdict = refuse("hook-setup", std::string("cannot set up the guard: ") + error.what());
  } catch (const std::exception& error) {
    verdict = refuse("hook-error", std::string("the guard failed: ") + error.what());
  }
  guard::HookOutput output = guard::render_hook_output(format, verdict);
  print_out(output.out);
  print_err(output.err);
  return output.exit_code;
}

}  // namespace

void register_hook_command(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand(
      "hook", "Entry points the agent CLIs call (registered by omk init; see docs/hooks.md)");
  group->require_subcommand(1);
  auto format = std::make_shared<std::string>("auto");
  auto* pre = group->add_subcommand(
      "pre-tool-use",
      "Read a PreToolUse hook event on stdin and answer in the agent's protocol: exit 0 to\n"
      "allow, exit 2 with the reason on stderr to block. Fails closed on any input it cannot "
      "judge.");
  pre->add_option("--format", *format, "The agent's hook protocol")
      ->check(CLI::IsMember({"auto", "claude", "codex", "kimi"}))
      ->default_str("auto");
  pre->callback([&context, format] {
    context.action = [&context, format] {
      return run_pre_tool_use(*guard::parse_hook_format(*format), context);
    };
  });
}

}  // namespace omk::cli
