#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_output.h"

namespace omk::runs {

// What the store records about a run. The DAG layer decides these things; the store keeps them
// crash-safe and readable by every later command (inspect, verify, replay, diff, the index).

enum class RunStatus { kRunning, kSucceeded, kFailed, kCancelled, kInterrupted };
enum class NodeState { kPending, kRunning, kDone, kFailed, kBlocked, kSkipped, kCancelled };

std::string_view to_string(RunStatus status);
std::string_view to_string(NodeState state);
std::optional<RunStatus> parse_run_status(std::string_view text);
std::optional<NodeState> parse_node_state(std::string_view text);
const std::vector<NodeState>& all_node_states();
bool is_terminal(NodeState state);

// One evidence gate's result for one attempt.
struct GateRecord {
  int index = 0;     // position in the node's evidence list
  std::string gate;  // command, tests, file_exists, diff, secrets_clean, review
  bool passed = false;
  std::string reason;  // one line: why it passed or failed
  int64_t duration_ms = 0;
  std::vector<std::string> artifacts;  // paths relative to the run directory
  Json details = Json::object();       // gate-specific counts (tests passed, files, ...)
};

struct AttemptRecord {
  int number = 0;  // 1-based
  std::string started_at;
  std::string finished_at;
  int64_t duration_ms = 0;
  // done, failed, timeout, cancelled, interrupted, skipped; empty while running
  std::string outcome;
  std::optional<int> exit_code;
  std::string reason;
  std::string provider;  // agent lanes: the concrete provider that ran the attempt
  std::vector<GateRecord> gates;
};

struct NodeRecord {
  std::string id;
  std::string kind;  // agent, command, builtin
  bool optional = false;
  NodeState state = NodeState::kPending;
  std::string reason;        // why blocked/skipped/failed/cancelled
  std::string workspace;     // where the lane ran, relative to the project root ("." = the root)
  std::string branch;        // worktree lanes: omk/<run>/<node>
  std::string start_commit;  // the commit the lane's worktree started from
  std::string commit;        // the commit holding the lane's changes, when it made any
  std::vector<std::string> files_changed;
  std::string verdict;  // review lanes: approve, request-changes, ...
  std::vector<AttemptRecord> attempts;
};

struct RunState {
  std::string run_id;
  RunStatus status = RunStatus::kRunning;
  int64_t event_seq = 0;  // the last event folded into this state
  std::string updated_at;
  std::vector<NodeRecord> nodes;

  NodeRecord* find(std::string_view id);
  const NodeRecord* find(std::string_view id) const;
  std::map<NodeState, int> counts() const;
};

Json to_json(const GateRecord& gate);
Json to_json(const AttemptRecord& attempt);
Json to_json(const NodeRecord& node);
// state.json: {"schema": "omk.run-state.v1", ...}
Json to_json(const RunState& state);

// Parsing is lenient about unknown fields and strict about types; a record that cannot be read
// throws UserError naming `origin`.
GateRecord gate_from_json(const Json& json);
RunState run_state_from_json(const Json& json, const std::string& origin);

// Folds one event (omk.event.v1) into the state. Events that do not change state are ignored.
// This is how a crash is survived: state.json is a checkpoint and events.jsonl the log after it.
void apply_event(RunState& state, const Json& event);

}  // namespace omk::runs
