#include "dag/spec_checks.h"

#include <map>

#include "dag/graph.h"

namespace omk::dag {
namespace {

void check_ids(const DagSpec& spec, YamlReader& reader) {
  std::map<std::string, const NodeSpec*> first;
  for (const auto& node : spec.nodes) {
    if (node.id.empty()) continue;
    if (node.worktree && !is_ref_component(node.id)) {
      reader.problem(node.mark_of("id"), "node id '" + node.id +
                                             "' cannot name a git branch (no '..', no trailing "
                                             "'.' or '.lock'); its worktree lives on omk/<run>/" +
                                             node.id);
    }
    auto [it, inserted] = first.emplace(node.id, &node);
    if (!inserted) {
      reader.problem(node.mark_of("id"), "duplicate node id '" + node.id + "' (first on line " +
                                             std::to_string(it->second->mark.line) + ")");
    }
  }
}

void check_dependencies(const DagSpec& spec, YamlReader& reader) {
  for (const auto& node : spec.nodes) {
    for (size_t i = 0; i < node.depends_on.size(); ++i) {
      const std::string& dep = node.depends_on[i];
      SourceMark mark =
          i < node.depends_on_marks.size() ? node.depends_on_marks[i] : node.mark_of("depends_on");
      if (dep == node.id) {
        reader.problem(mark, "node '" + node.id + "' depends on itself");
      } else if (!spec.find(dep)) {
        reader.problem(mark, "node '" + node.id + "' depends on unknown node '" + dep + "'");
      }
    }
  }
}

void check_cycles(const DagSpec& spec, const Graph& graph, YamlReader& reader) {
  for (const auto& cycle : find_cycles(graph)) {
    std::string path;
    for (int index : cycle) {
      if (!path.empty()) path += " -> ";
      path += spec.nodes[static_cast<size_t>(index)].id;
    }
    const NodeSpec& first = spec.nodes[static_cast<size_t>(cycle.front())];
    reader.problem(first.mark_of("depends_on"),
                   "dependency cycle: " + path + " (each node depends on the next)");
  }
}

// A node that `node` must wait for, named by a gate or a builtin target.
void check_upstream(const DagSpec& spec, const Graph& graph, const NodeSpec& node, int index,
                    const std::string& other, SourceMark mark, const std::string& what,
                    bool must_be_agent, YamlReader& reader) {
  int other_index = spec.index_of(other);
  if (other_index < 0) {
    reader.problem(mark, what + " names unknown node '" + other + "'");
    return;
  }
  if (other_index == index) {
    reader.problem(mark, what + " names the node itself");
    return;
  }
  const NodeSpec& target = spec.nodes[static_cast<size_t>(other_index)];
  if (must_be_agent && target.kind != NodeKind::kAgent) {
    reader.problem(mark, what + " names '" + other + "', a " + std::string(to_string(target.kind)) +
                             " lane; only an agent lane gives a review verdict");
  }
  if (graph.acyclic && !graph.depends_on(index, other_index)) {
    reader.problem(mark, what + " names '" + other + "', which node '" + node.id +
                             "' does not depend on; add it to depends_on so it runs first");
  }
}

void check_gates(const DagSpec& spec, const Graph& graph, YamlReader& reader) {
  for (size_t i = 0; i < spec.nodes.size(); ++i) {
    const NodeSpec& node = spec.nodes[i];
    const int index = static_cast<int>(i);
    if (node.kind == NodeKind::kBuiltin && !node.target.empty()) {
      check_upstream(spec, graph, node, index, node.target, node.mark_of("target"),
                     "node '" + node.id + "' target", false, reader);
    }
    for (const auto& gate : node.evidence) {
      const std::string what =
          "node '" + node.id + "' " + std::string(to_string(gate.kind)) + " gate";
      switch (gate.kind) {
        case GateKind::kDiff:
        case GateKind::kSecretsClean:
          if (node.kind == NodeKind::kBuiltin) {
            reader.problem(gate.mark, what + " cannot apply: a builtin lane changes no files");
          } else if (gate.kind == GateKind::kDiff && !node.write_capable()) {
            reader.problem(gate.mark, what + " cannot apply: the lane is read-only (risk " +
                                          node.risk + ", sandbox " + node.sandbox +
                                          ") and can produce no diff");
          }
          break;
        case GateKind::kReview:
          if (node.kind == NodeKind::kBuiltin) {
            reader.problem(gate.mark, what + " cannot apply: a builtin lane has nothing to review");
          } else {
            check_upstream(spec, graph, node, index, gate.review_by, gate.mark, what, true, reader);
          }
          break;
        default:
          break;
      }
    }
  }
}

}  // namespace

void check_spec(const DagSpec& spec, YamlReader& reader) {
  check_ids(spec, reader);
  check_dependencies(spec, reader);
  Graph graph = build_graph(spec);
  if (!graph.acyclic) check_cycles(spec, graph, reader);
  check_gates(spec, graph, reader);
}

}  // namespace omk::dag
