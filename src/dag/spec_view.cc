#include "dag/spec_view.h"

#include <fmt/format.h>

#include "dag/duration.h"
#include "dag/graph.h"

namespace omk::dag {
namespace {

std::string dot_quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string gates_summary(const NodeSpec& node) {
  std::string out;
  for (const auto& gate : node.evidence) {
    if (!out.empty()) out += ", ";
    out += to_string(gate.kind);
  }
  return out.empty() ? "-" : out;
}

std::string work_summary(const NodeSpec& node) {
  switch (node.kind) {
    case NodeKind::kAgent:
      return "agent (" + node.provider + (node.role.empty() ? "" : ", " + node.role) + ")";
    case NodeKind::kBuiltin:
      return "builtin " + node.builtin;
    case NodeKind::kCommand:
      return node.run.text;
  }
  return "";
}

}  // namespace

std::string state_colour(runs::NodeState state) {
  switch (state) {
    case runs::NodeState::kDone:
      return "#b7e4c7";
    case runs::NodeState::kFailed:
      return "#f4a3a3";
    case runs::NodeState::kBlocked:
      return "#f6d6a8";
    case runs::NodeState::kSkipped:
      return "#dddddd";
    case runs::NodeState::kCancelled:
      return "#e0c8f0";
    case runs::NodeState::kRunning:
      return "#a9d3f5";
    case runs::NodeState::kPending:
      return "#ffffff";
  }
  return "#ffffff";
}

std::string spec_as_text(const DagSpec& spec, const runs::RunState* state) {
  Graph graph = build_graph(spec);
  std::string out;
  if (!spec.goal.empty()) out += "goal: " + spec.goal + "\n";
  out += fmt::format("{} node{}\n", spec.nodes.size(), spec.nodes.size() == 1 ? "" : "s");
  for (int index : graph.topological) {
    const NodeSpec& node = spec.nodes[static_cast<size_t>(index)];
    std::string line = "  " + node.id;
    if (state) {
      if (const auto* record = state->find(node.id)) {
        line += fmt::format(" [{}]", runs::to_string(record->state));
      }
    }
    line += "  " + work_summary(node);
    out += line + "\n";
    std::string deps;
    for (const auto& dep : node.depends_on) deps += (deps.empty() ? "" : ", ") + dep;
    out +=
        fmt::format("      after: {}  gates: {}  sandbox: {}{}{}{}\n", deps.empty() ? "-" : deps,
                    gates_summary(node), node.sandbox, node.worktree ? "  worktree" : "",
                    node.optional ? "  optional" : "",
                    node.max_attempts > 1 ? fmt::format("  attempts: {}", node.max_attempts) : "");
    if (state) {
      if (const auto* record = state->find(node.id); record && !record->reason.empty()) {
        out += "      " + record->reason + "\n";
      }
    }
  }
  return out;
}

std::string spec_as_dot(const DagSpec& spec, const runs::RunState* state) {
  std::string out =
      "digraph omk {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", "
      "fontname=\"sans-serif\", fillcolor=\"#ffffff\"];\n";
  for (const auto& node : spec.nodes) {
    std::string label = node.id + "\\n" + std::string(to_string(node.kind));
    std::string attributes;
    if (state) {
      if (const auto* record = state->find(node.id)) {
        label += " · " + std::string(runs::to_string(record->state));
        attributes = ", fillcolor=" + dot_quote(state_colour(record->state));
      }
    }
    if (node.optional) attributes += ", style=\"rounded,filled,dashed\"";
    std::string quoted_label = dot_quote(node.id);
    // Labels carry \n escapes already; quote without doubling them.
    out += "  " + quoted_label + " [label=\"" + label + "\"" + attributes + "];\n";
  }
  for (const auto& node : spec.nodes) {
    for (const auto& dep : node.depends_on) {
      out += "  " + dot_quote(dep) + " -> " + dot_quote(node.id) + ";\n";
    }
  }
  return out + "}\n";
}

}  // namespace omk::dag
