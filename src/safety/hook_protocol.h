#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "safety/guard_types.h"

namespace omk::guard {

// The PreToolUse hook protocols of the agent CLIs omk guards.
//  - Claude Code: stdin {session_id, transcript_path, cwd, hook_event_name, tool_name,
//    tool_input, tool_use_id}; answers with exit 2 + stderr to block, or exit 0 with
//    {"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow|deny|ask",
//    "permissionDecisionReason":...}}.
//  - Codex: the same input shape plus turn_id (shell tools arrive as "Bash" with
//    tool_input.command, edits as "apply_patch" with the patch in tool_input.command); blocks on
//    exit 2 with a reason on stderr or permissionDecision "deny"; has no "ask" and rejects an
//    "allow" without updatedInput, so omk answers allow with silence and ask with a deny.
//  - Kimi (Kimi Code and the legacy kimi-cli): {hook_event_name, session_id, cwd, tool_name,
//    tool_input, tool_call_id}; exit 2 + stderr blocks, permissionDecision "deny" blocks, no
//    "ask"; tools Bash/Write/Edit (Kimi Code) or Shell/WriteFile/StrReplaceFile (kimi-cli).
enum class HookFormat { kAuto, kClaude, kCodex, kKimi };

std::optional<HookFormat> parse_hook_format(std::string_view text);
std::string_view to_string(HookFormat format);

// What the agent is about to do, reduced to what the guard judges.
struct ToolCall {
  enum class Kind { kShell, kWrite, kRead, kPatch };
  Kind kind = Kind::kShell;
  std::string tool_name;
  std::string command;  // kShell
  std::string path;     // kWrite, kRead
  std::string content;  // kWrite: the text being written, all edits concatenated
  std::string patch;    // kPatch
};

struct HookInput {
  HookFormat format = HookFormat::kClaude;  // resolved from the payload when kAuto was asked
  std::optional<ToolCall> call;             // nullopt: malformed or unknown, so denied
  std::string problem;                      // why there is no call
  std::string cwd;                          // the session's directory, from the payload
};

HookInput parse_hook_input(std::string_view json_text, HookFormat requested);

struct HookOutput {
  int exit_code = 2;
  std::string out;
  std::string err;
};

// Renders a verdict in the CLI's protocol. Deny blocks everywhere (exit 2, reason on stderr,
// a deny JSON on stdout). Ask asks in Claude Code and blocks, with the reason, where the CLI
// cannot ask. Allow exits 0; only Claude Code, and only when project rules explicitly allowed
// every command, gets permissionDecision "allow" (which would skip its own prompt).
HookOutput render_hook_output(HookFormat format, const Verdict& verdict);

// A one-line summary of a verdict's reasons, for stderr and permissionDecisionReason.
std::string summarize(const Verdict& verdict);

}  // namespace omk::guard
