#include "safety/hook_registration.h"

#include "core/json_output.h"

namespace omk::guard {
namespace {

std::string shell_quote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789_-./+@%") == std::string::npos) {
    return word;
  }
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string toml_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Hooks run for these tools only: the guard denies tools it does not know.
constexpr const char* kClaudeMatcher = "Bash|Read|Write|Edit|MultiEdit|NotebookEdit";
constexpr const char* kCodexMatcher = "Bash|apply_patch";
constexpr const char* kKimiMatcher =
    "^(Bash|Shell|Read|ReadFile|Write|WriteFile|Edit|StrReplaceFile)$";
constexpr int kTimeoutSeconds = 30;

std::string json_registration(const HookProgram& program, const char* matcher,
                              std::string_view format) {
  Json document = Json::object();
  Json handler = Json::object();
  handler["type"] = "command";
  handler["command"] = hook_command_line(program, format);
  handler["timeout"] = kTimeoutSeconds;
  Json group = Json::object();
  group["matcher"] = matcher;
  group["hooks"] = Json::array({handler});
  document["hooks"]["PreToolUse"] = Json::array({group});
  return document.dump(2) + "\n";
}

std::string kimi_registration(const HookProgram& program) {
  return "# omk's command guard for Kimi, as [[hooks]] tables of Kimi's config.toml. Kimi reads\n"
         "# hooks from its own config file only: omk adds these tables to the config it starts\n"
         "# Kimi with; to use them by hand, append this file to ~/.kimi-code/config.toml (Kimi\n"
         "# Code) or ~/.kimi/config.toml (kimi-cli). fail_mode = \"closed\" makes Kimi Code block\n"
         "# the tool when the hook itself fails (kimi-cli ignores the key). See docs/hooks.md.\n"
         "[[hooks]]\n"
         "event = \"PreToolUse\"\n"
         "matcher = " +
         toml_string(kKimiMatcher) + "\n" +
         "command = " + toml_string(hook_command_line(program, "kimi")) + "\n" +
         "timeout = " + std::to_string(kTimeoutSeconds) + "\n" + "fail_mode = \"closed\"\n";
}

}  // namespace

HookProgram hook_program(const std::optional<std::filesystem::path>& self) {
  HookProgram program;
  if (self && self->is_absolute()) {
    program.command = shell_quote(self->string());
  } else {
    program.command = "omk";
    program.from_path = true;
  }
  return program;
}

std::string hook_command_line(const HookProgram& program, std::string_view format) {
  return program.command + " hook pre-tool-use --format " + std::string(format);
}

ScaffoldPlan hook_registration_plan(const HookProgram& program) {
  ScaffoldPlan plan;
  plan.directories = {".claude", ".codex"};
  plan.files = {
      {".claude/settings.json", json_registration(program, kClaudeMatcher, "claude"),
       FilePolicy::kMergeJson},
      {".codex/hooks.json", json_registration(program, kCodexMatcher, "codex"),
       FilePolicy::kMergeJson},
      {".kimi/hooks.toml", kimi_registration(program), FilePolicy::kGenerated},
  };
  return plan;
}

}  // namespace omk::guard
