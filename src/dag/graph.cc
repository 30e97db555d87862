#include "dag/graph.h"

#include <algorithm>
#include <queue>
#include <unordered_map>

namespace omk::dag {

Graph build_graph(const DagSpec& spec) {
  Graph graph;
  size_t n = spec.nodes.size();
  graph.deps.resize(n);
  graph.dependents.resize(n);
  std::unordered_map<std::string, int> index;
  for (size_t i = 0; i < n; ++i) index.emplace(spec.nodes[i].id, static_cast<int>(i));
  for (size_t i = 0; i < n; ++i) {
    for (const auto& dep : spec.nodes[i].depends_on) {
      auto it = index.find(dep);
      if (it == index.end() || it->second == static_cast<int>(i)) continue;
      graph.deps[i].push_back(it->second);
      graph.dependents[static_cast<size_t>(it->second)].push_back(static_cast<int>(i));
    }
  }
  // Kahn's algorithm with a min-heap on the index: stable, declaration order among equals.
  std::vector<int> waiting(n);
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (size_t i = 0; i < n; ++i) {
    waiting[i] = static_cast<int>(graph.deps[i].size());
    if (waiting[i] == 0) ready.push(static_cast<int>(i));
  }
  while (!ready.empty()) {
    int node = ready.top();
    ready.pop();
    graph.topological.push_back(node);
    for (int dependent : graph.dependents[static_cast<size_t>(node)]) {
      if (--waiting[static_cast<size_t>(dependent)] == 0) ready.push(dependent);
    }
  }
  graph.acyclic = graph.topological.size() == n;
  return graph;
}

bool Graph::depends_on(int node, int ancestor) const {
  std::vector<char> seen(size(), 0);
  std::vector<int> stack = {node};
  while (!stack.empty()) {
    int at = stack.back();
    stack.pop_back();
    for (int dep : deps[static_cast<size_t>(at)]) {
      if (dep == ancestor) return true;
      if (!seen[static_cast<size_t>(dep)]) {
        seen[static_cast<size_t>(dep)] = 1;
        stack.push_back(dep);
      }
    }
  }
  return false;
}

std::vector<int> Graph::downstream_of(int node) const {
  std::vector<char> seen(size(), 0);
  std::vector<int> out = {node};
  seen[static_cast<size_t>(node)] = 1;
  for (size_t i = 0; i < out.size(); ++i) {
    for (int dependent : dependents[static_cast<size_t>(out[i])]) {
      if (!seen[static_cast<size_t>(dependent)]) {
        seen[static_cast<size_t>(dependent)] = 1;
        out.push_back(dependent);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::vector<int>> find_cycles(const Graph& graph) {
  std::vector<char> ordered(graph.size(), 0);
  for (int node : graph.topological) ordered[static_cast<size_t>(node)] = 1;
  std::vector<char> reported(graph.size(), 0);
  std::vector<std::vector<int>> cycles;
  for (size_t start = 0; start < graph.size(); ++start) {
    if (ordered[start] || reported[start]) continue;
    // Every unordered node waits for another unordered node, so walking "first unordered
    // dependency" must come back to a node already on the path.
    std::vector<int> path;
    std::unordered_map<int, size_t> position;
    int at = static_cast<int>(start);
    bool closed = true;
    while (!position.count(at)) {
      position[at] = path.size();
      path.push_back(at);
      int next = -1;
      for (int dep : graph.deps[static_cast<size_t>(at)]) {
        if (!ordered[static_cast<size_t>(dep)]) {
          next = dep;
          break;
        }
      }
      if (next < 0) {
        closed = false;
        break;
      }
      at = next;
    }
    if (!closed) continue;
    std::vector<int> cycle(path.begin() + static_cast<long>(position[at]), path.end());
    bool fresh = std::none_of(cycle.begin(), cycle.end(),
                              [&](int node) { return reported[static_cast<size_t>(node)]; });
    for (int node : path) reported[static_cast<size_t>(node)] = 1;
    if (!fresh) continue;
    cycle.push_back(cycle.front());
    cycles.push_back(std::move(cycle));
  }
  return cycles;
}

}  // namespace omk::dag
