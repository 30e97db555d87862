#include "dag/spec_json.h"

#include "dag/duration.h"
#include "dag/spec_parser.h"
#include "runs/digest.h"

namespace omk::dag {
namespace {

Json command_json(const CommandLine& command) {
  if (command.shell) return command.text;
  return command.argv;
}

Json gate_json(const GateSpec& gate) {
  Json value;
  switch (gate.kind) {
    case GateKind::kCommand:
      value = command_json(gate.command);
      break;
    case GateKind::kTests:
      value = Json::object();
      value["run"] = command_json(gate.command);
      if (!gate.junit.empty()) value["junit"] = gate.junit;
      if (!gate.tap.empty()) value["tap"] = gate.tap;
      break;
    case GateKind::kFileExists:
      value = gate.paths;
      break;
    case GateKind::kDiff:
      value = Json::object();
      if (!gate.allow.empty()) value["allow"] = gate.allow;
      break;
    case GateKind::kSecretsClean:
      value = true;
      break;
    case GateKind::kReview:
      value = Json{{"by", gate.review_by}};
      break;
  }
  Json item = Json::object();
  item[std::string(to_string(gate.kind))] = value;
  return item;
}

}  // namespace

Json spec_to_json(const DagSpec& spec) {
  Json json = json_envelope("dag");
  if (!spec.goal.empty()) json["goal"] = spec.goal;
  Json nodes = Json::array();
  for (const auto& node : spec.nodes) {
    Json item = Json::object();
    item["id"] = node.id;
    if (node.name != node.id) item["name"] = node.name;
    item["kind"] = to_string(node.kind);
    if (!node.role.empty()) item["role"] = node.role;
    switch (node.kind) {
      case NodeKind::kAgent:
        item["prompt"] = node.prompt;
        item["provider"] = node.provider;
        break;
      case NodeKind::kCommand:
        item["run"] = command_json(node.run);
        break;
      case NodeKind::kBuiltin:
        item["run"] = node.builtin;
        if (!node.target.empty()) item["target"] = node.target;
        break;
    }
    item["depends_on"] = node.depends_on;
    item["risk"] = node.risk;
    item["sandbox"] = node.sandbox;
    item["network"] = node.network;
    Json env = Json::object();
    for (const auto& [name, value] : node.env) env[name] = value;
    item["env"] = env;
    item["timeout"] = format_duration_ms(node.timeout_ms);
    item["max_attempts"] = node.max_attempts;
    item["backoff"] = format_duration_ms(node.backoff_ms);
    item["worktree"] = node.worktree;
    item["optional"] = node.optional;
    item["priority"] = node.priority;
    Json evidence = Json::array();
    for (const auto& gate : node.evidence) evidence.push_back(gate_json(gate));
    item["evidence"] = evidence;
    nodes.push_back(item);
  }
  json["nodes"] = nodes;
  return json;
}

std::string spec_hash(const DagSpec& spec) {
  return runs::sha256_digest(spec_to_json(spec).dump());
}

DagSpec spec_from_json(const Json& json, const std::string& source) {
  return require_valid(read_spec(json.dump(2), source), source);
}

}  // namespace omk::dag
