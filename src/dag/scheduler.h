#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "dag/graph.h"
#include "dag/spec.h"
#include "runs/run_records.h"

namespace omk::dag {

using runs::NodeState;
using runs::RunStatus;

// Which nodes may run now, and what a finished attempt means for the rest of the DAG. Pure
// bookkeeping: no clock (callers pass `now_ms`), no threads, no I/O — so order, worker limits,
// retries and failure propagation are tested exactly, without timing.
//
// Rules:
// - A node is ready when it is pending, its retry time has come, and every dependency is
//   satisfied: done, or optional and finished in any other way.
// - Ready nodes start by priority (higher first), then declaration order.
// - A failed attempt is retried while attempts < max_attempts, after backoff * 2^(n-1)
//   (at most five minutes).
// - A required node that fails, is blocked, skipped or cancelled blocks every pending node
//   downstream of it. An optional one blocks nothing.
// - The run succeeds when every required node is done.
class Scheduler {
 public:
  enum class Outcome { kDone, kFailed, kCancelled };

  struct Transition {
    int node;
    NodeState state;
    std::string reason;
    int64_t retry_at_ms = 0;  // kPending after a failed attempt: when it may start again
  };

  Scheduler(const DagSpec& spec, const Graph& graph);

  // Resume: puts a node back in a recorded state before anything runs. Done and skipped nodes
  // keep their state; everything else is pending again with `attempts_used` attempts spent.
  void restore(int node, NodeState state, int attempts_used);
  // Call once after restore(): computes readiness and blocks what can no longer run.
  std::vector<Transition> start();

  // Up to `slots` ready nodes, best first; each becomes running with its attempt counted.
  std::vector<int> take_ready(int slots, int64_t now_ms);
  // The result of a running node's attempt, and every other state change it causes.
  std::vector<Transition> finish(int node, Outcome outcome, const std::string& reason,
                                 int64_t now_ms);
  // A pending node that will not run (an agent lane with no runtime): it counts as finished.
  std::vector<Transition> skip(int node, const std::string& reason);
  // Stops the run: pending nodes become cancelled now; running ones when they finish.
  std::vector<Transition> cancel(const std::string& reason);

  NodeState state(int node) const { return nodes_[static_cast<size_t>(node)].state; }
  int attempts(int node) const { return nodes_[static_cast<size_t>(node)].attempts; }
  int running() const { return running_; }
  // Nothing pending or running.
  bool finished() const { return open_ == 0; }
  // When the earliest retry becomes due, if a node is waiting for one.
  std::optional<int64_t> next_retry_at() const;
  RunStatus outcome() const;

 private:
  struct NodeInfo {
    NodeState state = NodeState::kPending;
    int attempts = 0;
    int unsatisfied = 0;  // dependencies not yet satisfied
    int64_t retry_at_ms = 0;
    bool queued = false;
  };
  struct ReadyOrder {
    const Scheduler* self;
    bool operator()(int a, int b) const;  // true when a runs after b
  };

  bool satisfied_by(int dep) const;
  void enqueue_if_ready(int node);
  void settle(int node, std::vector<Transition>& changes);
  void block_downstream(int node, const std::string& reason, std::vector<Transition>& changes);
  void set_state(int node, NodeState state, const std::string& reason,
                 std::vector<Transition>& changes);

  const DagSpec& spec_;
  const Graph& graph_;
  std::vector<NodeInfo> nodes_;
  std::priority_queue<int, std::vector<int>, ReadyOrder> ready_;
  std::vector<int> waiting_retry_;
  int running_ = 0;
  int open_ = 0;  // pending + running
  bool cancelled_ = false;
};

}  // namespace omk::dag
