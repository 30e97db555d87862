#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_output.h"
#include "process/cancel.h"
#include "providers/capabilities.h"
#include "providers/failure.h"
#include "sandbox/profile.h"

namespace omk::providers {

// --execution / [runtime] execution.
enum class Execution { kAsk, kAuto, kNever };
std::string_view to_string(Execution execution);
std::optional<Execution> parse_execution(std::string_view text);

// Something the agent did, as it happened (streamed to TurnRequest::on_event and kept in the
// result): its text, a command it ran, a file it changed, another tool call.
struct TurnEvent {
  enum class Kind { kText, kCommand, kFileChange, kTool, kError };
  Kind kind = Kind::kText;
  std::string text;     // kText: assistant text (a delta when streamed); kError: the message
  std::string command;  // kCommand: the command line
  std::optional<int> exit_code;
  std::string path;  // kFileChange
  std::string tool;  // kTool (and kCommand/kFileChange: the provider's tool name)
};
std::string_view to_string(TurnEvent::Kind kind);
Json to_json(const TurnEvent& event);

struct TokenUsage {
  int64_t input = 0;
  int64_t output = 0;
  int64_t total() const { return input + output; }
};

// What omk asks a person before a write-capable run under --execution ask, when the provider
// cannot ask in headless mode itself.
struct ApprovalRequest {
  std::string provider;
  std::filesystem::path workspace;
  Risk risk = Risk::kRead;
  CapabilitySet capabilities;
  sandbox::Profile profile = sandbox::Profile::kWorkspaceWrite;
  std::string why;  // "codex exec never asks before running a command"
};

// One turn for one provider: the prompt envelope in; streamed events and a common result out.
struct TurnRequest {
  std::string provider;  // a concrete id (resolve the policy first)
  std::string prompt;    // never placed in argv
  std::filesystem::path workspace;
  Risk risk = Risk::kRead;  // decides capabilities, flags and the sandbox profile
  // --execution; unset: [runtime] execution (OMK_EXECUTION).
  std::optional<Execution> execution;
  // The sandbox profile; unset: read-only for read turns, else [runtime] sandbox.
  std::optional<sandbox::Profile> profile;
  std::string model;  // "": [providers.<id>] model, else the provider's default
  std::optional<std::chrono::milliseconds> timeout;  // unset: [runtime] turn_timeout_ms
  const process::CancelToken* cancel = nullptr;
  // The run's scoped MCP servers (names from the tool-plane inventory) and whether the
  // inventory's skills go along. A server outside the inventory is refused.
  std::vector<std::string> mcp_servers;
  bool skills = true;
  // Where per-run files (MCP config for the CLI) are written; empty: the run's private
  // directory, removed afterwards.
  std::filesystem::path run_dir;
  std::string run_id;
  std::string node_id;
  std::string node_role;
  std::function<void(const TurnEvent&)> on_event;
  // Asked under --execution ask before a write-capable run the provider cannot ask about
  // itself. Unset (no terminal): such a run is refused.
  std::function<bool(const ApprovalRequest&)> approve;
};

struct TurnResult {
  std::string provider;
  std::string model;
  bool success = false;
  std::string final_message;
  std::vector<TurnEvent> events;  // commands, file changes and tool calls (not text deltas)
  std::vector<std::string> files_changed;  // relative to the workspace, sorted
  TokenUsage usage;
  int exit_code = 0;  // the child's (124 timeout, 130 cancelled); API: 0 or 1
  FailureCategory failure = FailureCategory::kNone;
  std::string message;                   // failure_message(): provider output only with OMK_DEBUG=1
  std::optional<int64_t> retry_after_s;  // from a 429
  int64_t duration_ms = 0;
  Json sandbox;                    // the enforcement report (sandbox::to_json)
  std::vector<std::string> notes;  // e.g. "codex's own sandbox is off: omk's sandbox enforces"
};

Json to_json(const TurnResult& result);

}  // namespace omk::providers
