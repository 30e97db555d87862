#include "dag/planner.h"

namespace omk::dag {

DagSpec planner_spec(const std::string& goal, const SpecDefaults& defaults) {
  DagSpec spec;
  spec.source = "goal";
  spec.goal = goal;
  NodeSpec node;
  node.id = kPlannerNode;
  node.name = "Plan the lanes for the goal";
  node.kind = NodeKind::kAgent;
  node.role = "planner";
  node.prompt = planner_prompt(goal);
  node.provider = "auto";
  node.risk = "read";
  node.sandbox = "read-only";
  node.timeout_ms = defaults.agent_timeout_ms;
  node.max_attempts = 1;
  node.backoff_ms = defaults.backoff_ms;
  node.worktree = false;
  spec.nodes.push_back(std::move(node));
  return spec;
}

std::string planner_prompt(const std::string& goal) {
  return "You are the planner of an omk pipeline. Read the project as much as you need, but do "
         "not change any file. Propose the lanes that reach the goal below as ONE omk.dag.v1 "
         "pipeline in a single fenced ```yaml block in your final answer; omk validates it, "
         "shows it to the user and runs it. The format:\n"
         "```yaml\n"
         "goal: <one line>\n"
         "nodes:\n"
         "  - id: build                 # letters, digits, . _ -\n"
         "    run: make                 # a command lane (run with sh -c)\n"
         "    evidence:\n"
         "      - command: make test    # a gate: the lane is done only when it passes\n"
         "  - id: implement\n"
         "    prompt: <the task>        # an agent lane: a coding agent does the task\n"
         "    depends_on: [build]\n"
         "    evidence:\n"
         "      - diff: {allow: [\"src/**\"]}\n"
         "```\n"
         "Node keys: id, name, kind (agent|command|builtin), prompt, run, role, depends_on, "
         "provider, risk (read|write|shell|merge), timeout, max_attempts, optional, evidence. "
         "Gates: command: CMD; tests: {run: CMD, junit: FILE}; file_exists: [PATH]; "
         "diff: {allow: [GLOB]}; secrets_clean: true; review: {by: AGENT_LANE_IT_DEPENDS_ON}. "
         "Give every lane that changes files a gate that proves the change. Keep the plan "
         "small.\n\n"
         "Goal: " +
         goal;
}

std::string extract_plan(std::string_view message) {
  std::string best;
  size_t pos = 0;
  while ((pos = message.find("```", pos)) != std::string_view::npos) {
    size_t line_end = message.find('\n', pos);
    if (line_end == std::string_view::npos) break;
    std::string_view info = message.substr(pos + 3, line_end - pos - 3);
    size_t close = message.find("\n```", line_end);
    if (close == std::string_view::npos) break;
    std::string_view body = message.substr(line_end + 1, close - line_end);
    bool plan_language = info.empty() || info == "yaml" || info == "yml" || info == "json";
    if (plan_language && body.find("nodes") != std::string_view::npos) best = std::string(body);
    pos = close + 4;
  }
  return best.empty() ? std::string(message) : best;
}

}  // namespace omk::dag
