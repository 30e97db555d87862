#include "runs/run_records.h"

#include <array>

#include "core/error.h"

namespace omk::runs {
namespace {

constexpr std::array<std::pair<RunStatus, std::string_view>, 5> kRunStatusNames = {{
    {RunStatus::kRunning, "running"},
    {RunStatus::kSucceeded, "succeeded"},
    {RunStatus::kFailed, "failed"},
    {RunStatus::kCancelled, "cancelled"},
    {RunStatus::kInterrupted, "interrupted"},
}};

constexpr std::array<std::pair<NodeState, std::string_view>, 7> kNodeStateNames = {{
    {NodeState::kPending, "pending"},
    {NodeState::kRunning, "running"},
    {NodeState::kDone, "done"},
    {NodeState::kFailed, "failed"},
    {NodeState::kBlocked, "blocked"},
    {NodeState::kSkipped, "skipped"},
    {NodeState::kCancelled, "cancelled"},
}};

std::string string_or(const Json& json, const char* key, std::string fallback = {}) {
  auto it = json.find(key);
  if (it == json.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

int64_t integer_or(const Json& json, const char* key, int64_t fallback = 0) {
  auto it = json.find(key);
  if (it == json.end() || !it->is_number_integer()) return fallback;
  return it->get<int64_t>();
}

// Json::value() throws on a non-object or a value of another type; a record on disk may be
// anything (a torn or tampered file), so every field is read with these.
bool bool_or(const Json& json, const char* key, bool fallback = false) {
  auto it = json.find(key);
  if (it == json.end() || !it->is_boolean()) return fallback;
  return it->get<bool>();
}

std::vector<std::string> strings_of(const Json& json, const char* key) {
  std::vector<std::string> out;
  auto it = json.find(key);
  if (it == json.end() || !it->is_array()) return out;
  for (const auto& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

AttemptRecord attempt_from_json(const Json& json) {
  AttemptRecord attempt;
  attempt.number = static_cast<int>(integer_or(json, "number"));
  attempt.started_at = string_or(json, "started_at");
  attempt.finished_at = string_or(json, "finished_at");
  attempt.duration_ms = integer_or(json, "duration_ms");
  attempt.outcome = string_or(json, "outcome");
  if (auto it = json.find("exit_code"); it != json.end() && it->is_number_integer()) {
    attempt.exit_code = it->get<int>();
  }
  attempt.reason = string_or(json, "reason");
  attempt.provider = string_or(json, "provider");
  if (auto it = json.find("gates"); it != json.end() && it->is_array()) {
    for (const auto& gate : *it) attempt.gates.push_back(gate_from_json(gate));
  }
  return attempt;
}

NodeRecord node_from_json(const Json& json) {
  NodeRecord node;
  node.id = string_or(json, "id");
  node.kind = string_or(json, "kind");
  node.optional = bool_or(json, "optional");
  node.state = parse_node_state(string_or(json, "state")).value_or(NodeState::kPending);
  node.reason = string_or(json, "reason");
  node.workspace = string_or(json, "workspace");
  node.branch = string_or(json, "branch");
  node.start_commit = string_or(json, "start_commit");
  node.commit = string_or(json, "commit");
  node.files_changed = strings_of(json, "files_changed");
  node.verdict = string_or(json, "verdict");
  if (auto it = json.find("attempts"); it != json.end() && it->is_array()) {
    for (const auto& attempt : *it) node.attempts.push_back(attempt_from_json(attempt));
  }
  return node;
}

AttemptRecord* attempt_numbered(NodeRecord& node, int number) {
  for (auto& attempt : node.attempts) {
    if (attempt.number == number) return &attempt;
  }
  return nullptr;
}

}  // namespace

std::string_view to_string(RunStatus status) {
  for (const auto& [value, name] : kRunStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::string_view to_string(NodeState state) {
  for (const auto& [value, name] : kNodeStateNames) {
    if (value == state) return name;
  }
  return "unknown";
}

std::optional<RunStatus> parse_run_status(std::string_view text) {
  for (const auto& [value, name] : kRunStatusNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::optional<NodeState> parse_node_state(std::string_view text) {
  for (const auto& [value, name] : kNodeStateNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

const std::vector<NodeState>& all_node_states() {
  static const std::vector<NodeState> states = [] {
    std::vector<NodeState> out;
    for (const auto& [value, name] : kNodeStateNames) out.push_back(value);
    return out;
  }();
  return states;
}

bool is_terminal(NodeState state) {
  return state != NodeState::kPending && state != NodeState::kRunning;
}

NodeRecord* RunState::find(std::string_view id) {
  for (auto& node : nodes) {
    if (node.id == id) return &node;
  }
  return nullptr;
}

const NodeRecord* RunState::find(std::string_view id) const {
  return const_cast<RunState*>(this)->find(id);
}

std::map<NodeState, int> RunState::counts() const {
  std::map<NodeState, int> counts;
  for (NodeState state : all_node_states()) counts[state] = 0;
  for (const auto& node : nodes) ++counts[node.state];
  return counts;
}

Json to_json(const GateRecord& gate) {
  Json json = Json::object();
  json["index"] = gate.index;
  json["gate"] = gate.gate;
  json["passed"] = gate.passed;
  json["reason"] = gate.reason;
  json["duration_ms"] = gate.duration_ms;
  json["artifacts"] = gate.artifacts;
  json["details"] = gate.details.is_object() ? gate.details : Json::object();
  return json;
}

Json to_json(const AttemptRecord& attempt) {
  Json json = Json::object();
  json["number"] = attempt.number;
  json["started_at"] = attempt.started_at;
  if (!attempt.finished_at.empty()) json["finished_at"] = attempt.finished_at;
  json["duration_ms"] = attempt.duration_ms;
  if (!attempt.outcome.empty()) json["outcome"] = attempt.outcome;
  if (attempt.exit_code) json["exit_code"] = *attempt.exit_code;
  if (!attempt.reason.empty()) json["reason"] = attempt.reason;
  if (!attempt.provider.empty()) json["provider"] = attempt.provider;
  Json gates = Json::array();
  for (const auto& gate : attempt.gates) gates.push_back(to_json(gate));
  json["gates"] = gates;
  return json;
}

Json to_json(const NodeRecord& node) {
  Json json = Json::object();
  json["id"] = node.id;
  json["kind"] = node.kind;
  json["optional"] = node.optional;
  json["state"] = to_string(node.state);
  if (!node.reason.empty()) json["reason"] = node.reason;
  if (!node.workspace.empty()) json["workspace"] = node.workspace;
  if (!node.branch.empty()) json["branch"] = node.branch;
  if (!node.start_commit.empty()) json["start_commit"] = node.start_commit;
  if (!node.commit.empty()) json["commit"] = node.commit;
  if (!node.files_changed.empty()) json["files_changed"] = node.files_changed;
  if (!node.verdict.empty()) json["verdict"] = node.verdict;
  Json attempts = Json::array();
  for (const auto& attempt : node.attempts) attempts.push_back(to_json(attempt));
  json["attempts"] = attempts;
  return json;
}

Json to_json(const RunState& state) {
  Json json = json_envelope("run-state");
  json["run_id"] = state.run_id;
  json["status"] = to_string(state.status);
  json["event_seq"] = state.event_seq;
  json["updated_at"] = state.updated_at;
  Json nodes = Json::array();
  for (const auto& node : state.nodes) nodes.push_back(to_json(node));
  json["nodes"] = nodes;
  return json;
}

GateRecord gate_from_json(const Json& json) {
  GateRecord gate;
  gate.index = static_cast<int>(integer_or(json, "index"));
  gate.gate = string_or(json, "gate");
  gate.passed = bool_or(json, "passed");
  gate.reason = string_or(json, "reason");
  gate.duration_ms = integer_or(json, "duration_ms");
  gate.artifacts = strings_of(json, "artifacts");
  if (auto it = json.find("details"); it != json.end() && it->is_object()) gate.details = *it;
  return gate;
}

RunState run_state_from_json(const Json& json, const std::string& origin) {
  if (!json.is_object() || string_or(json, "schema") != "omk.run-state.v1") {
    throw usage_error(origin + " is not an omk.run-state.v1 document");
  }
  RunState state;
  state.run_id = string_or(json, "run_id");
  auto status = parse_run_status(string_or(json, "status"));
  if (!status) throw usage_error(origin + " has an unknown run status");
  state.status = *status;
  state.event_seq = integer_or(json, "event_seq");
  state.updated_at = string_or(json, "updated_at");
  if (auto it = json.find("nodes"); it != json.end() && it->is_array()) {
    for (const auto& node : *it) state.nodes.push_back(node_from_json(node));
  }
  return state;
}

namespace {

// A node the run's events declare (at the start, or later as a chat turn), once.
void declare_node(RunState& state, const std::string& id, const Json& declared) {
  if (state.find(id)) return;
  NodeRecord node;
  node.id = id;
  node.kind = string_or(declared, "kind");
  node.optional = bool_or(declared, "optional");
  state.nodes.push_back(std::move(node));
}

}  // namespace

void apply_event(RunState& state, const Json& event) {
  int64_t seq = integer_or(event, "seq");
  if (seq != 0 && seq <= state.event_seq) return;  // already folded into the checkpoint
  if (seq != 0) state.event_seq = seq;
  state.updated_at = string_or(event, "at", state.updated_at);
  const std::string type = string_or(event, "type");
  const Json data =
      event.contains("data") && event["data"].is_object() ? event["data"] : Json::object();
  if (type == "run.started" || type == "run.resumed") {
    state.status = RunStatus::kRunning;
    if (auto it = data.find("nodes"); it != data.end() && it->is_array()) {
      for (const auto& declared : *it) declare_node(state, string_or(declared, "id"), declared);
    }
    return;
  }
  if (type == "run.finished") {
    state.status = parse_run_status(string_or(data, "status")).value_or(state.status);
    return;
  }
  if (type == "node.declared") {
    // A node added while the run goes on: a chat session declares one per turn.
    std::string id = string_or(event, "node");
    if (!id.empty()) declare_node(state, id, data);
    return;
  }
  NodeRecord* node = state.find(string_or(event, "node"));
  if (!node) return;
  if (type == "node.reused") {
    // Replay --from: a node not re-run keeps what the earlier run recorded.
    node->state = parse_node_state(string_or(data, "state")).value_or(NodeState::kDone);
    node->reason = string_or(data, "reason");
    node->workspace = string_or(data, "workspace", node->workspace);
    node->branch = string_or(data, "branch", node->branch);
    node->start_commit = string_or(data, "start_commit", node->start_commit);
    node->commit = string_or(data, "commit", node->commit);
    node->files_changed = strings_of(data, "files_changed");
    node->verdict = string_or(data, "verdict", node->verdict);
  } else if (type == "node.state") {
    node->state = parse_node_state(string_or(data, "state")).value_or(node->state);
    node->reason = string_or(data, "reason");
  } else if (type == "node.started") {
    node->state = NodeState::kRunning;
    node->reason.clear();
    AttemptRecord attempt;
    attempt.number = static_cast<int>(integer_or(data, "attempt", 1));
    attempt.started_at = string_or(event, "at");
    attempt.provider = string_or(data, "provider");
    node->attempts.push_back(std::move(attempt));
    node->workspace = string_or(data, "workspace", node->workspace);
    node->branch = string_or(data, "branch", node->branch);
    node->start_commit = string_or(data, "start_commit", node->start_commit);
  } else if (type == "gate.finished") {
    if (auto* attempt = attempt_numbered(*node, static_cast<int>(integer_or(data, "attempt")))) {
      if (auto it = data.find("gate"); it != data.end())
        attempt->gates.push_back(gate_from_json(*it));
    }
  } else if (type == "node.finished") {
    node->state = parse_node_state(string_or(data, "state")).value_or(NodeState::kFailed);
    node->reason = string_or(data, "reason");
    if (auto* attempt = attempt_numbered(*node, static_cast<int>(integer_or(data, "attempt")))) {
      attempt->finished_at = string_or(event, "at");
      attempt->duration_ms = integer_or(data, "duration_ms");
      attempt->outcome = string_or(data, "outcome");
      if (auto it = data.find("exit_code"); it != data.end() && it->is_number_integer()) {
        attempt->exit_code = it->get<int>();
      }
      attempt->reason = node->reason;
      attempt->provider = string_or(data, "provider", attempt->provider);
    }
    node->commit = string_or(data, "commit", node->commit);
    if (data.contains("files_changed")) node->files_changed = strings_of(data, "files_changed");
    node->verdict = string_or(data, "verdict", node->verdict);
  }
}

}  // namespace omk::runs
