#pragma once

#include <vector>

#include "dag/spec.h"

namespace omk::dag {

// The dependency structure of a valid spec, by node index (declaration order).
struct Graph {
  std::vector<std::vector<int>> deps;        // what each node waits for
  std::vector<std::vector<int>> dependents;  // who waits for each node
  std::vector<int> topological;              // deps before dependents, ties by declaration
  bool acyclic = true;

  size_t size() const { return deps.size(); }
  // Is `ancestor` reachable by following dependencies from `node`?
  bool depends_on(int node, int ancestor) const;
  // `node` and everything that (transitively) depends on it.
  std::vector<int> downstream_of(int node) const;
};

// Unknown dependency ids are ignored here (validation reports them).
Graph build_graph(const DagSpec& spec);

// One cycle through nodes that could not be ordered, as indices (first repeated at the end),
// for each group of cyclic nodes.
std::vector<std::vector<int>> find_cycles(const Graph& graph);

}  // namespace omk::dag
