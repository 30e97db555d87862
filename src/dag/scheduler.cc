#include "dag/scheduler.h"

#include <algorithm>

namespace omk::dag {
namespace {

constexpr int64_t kMaxBackoffMs = 5 * 60 * 1000;

bool open_state(NodeState state) {
  return state == NodeState::kPending || state == NodeState::kRunning;
}

}  // namespace

bool Scheduler::ReadyOrder::operator()(int a, int b) const {
  const auto& na = self->spec_.nodes[static_cast<size_t>(a)];
  const auto& nb = self->spec_.nodes[static_cast<size_t>(b)];
  if (na.priority != nb.priority) return na.priority < nb.priority;
  return a > b;
}

Scheduler::Scheduler(const DagSpec& spec, const Graph& graph)
    : spec_(spec), graph_(graph), nodes_(spec.nodes.size()), ready_(ReadyOrder{this}) {}

void Scheduler::restore(int node, NodeState state, int attempts_used) {
  auto& info = nodes_[static_cast<size_t>(node)];
  info.state =
      (state == NodeState::kDone || state == NodeState::kSkipped) ? state : NodeState::kPending;
  info.attempts = info.state == NodeState::kPending ? std::max(0, attempts_used) : attempts_used;
}

std::vector<Scheduler::Transition> Scheduler::start() {
  std::vector<Transition> changes;
  open_ = 0;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    auto& info = nodes_[i];
    if (open_state(info.state)) ++open_;
    info.unsatisfied = 0;
    for (int dep : graph_.deps[i]) {
      if (!satisfied_by(dep)) ++info.unsatisfied;
    }
  }
  // A restored skipped required node cannot satisfy its dependents.
  for (int node : graph_.topological) {
    const auto& info = nodes_[static_cast<size_t>(node)];
    if (info.state == NodeState::kSkipped && !spec_.nodes[static_cast<size_t>(node)].optional) {
      block_downstream(node,
                       "dependency " + spec_.nodes[static_cast<size_t>(node)].id + " was skipped",
                       changes);
    }
  }
  for (size_t i = 0; i < nodes_.size(); ++i) enqueue_if_ready(static_cast<int>(i));
  return changes;
}

bool Scheduler::satisfied_by(int dep) const {
  NodeState state = nodes_[static_cast<size_t>(dep)].state;
  if (state == NodeState::kDone) return true;
  return !open_state(state) && spec_.nodes[static_cast<size_t>(dep)].optional;
}

void Scheduler::enqueue_if_ready(int node) {
  auto& info = nodes_[static_cast<size_t>(node)];
  if (cancelled_ || info.state != NodeState::kPending || info.unsatisfied != 0 || info.queued) {
    return;
  }
  info.queued = true;
  if (info.retry_at_ms > 0) {
    waiting_retry_.push_back(node);
  } else {
    ready_.push(node);
  }
}

std::vector<int> Scheduler::take_ready(int slots, int64_t now_ms) {
  // Retries whose time has come join the ready queue.
  for (auto it = waiting_retry_.begin(); it != waiting_retry_.end();) {
    if (nodes_[static_cast<size_t>(*it)].retry_at_ms <= now_ms) {
      ready_.push(*it);
      it = waiting_retry_.erase(it);
    } else {
      ++it;
    }
  }
  std::vector<int> taken;
  while (!cancelled_ && static_cast<int>(taken.size()) < slots && !ready_.empty()) {
    int node = ready_.top();
    ready_.pop();
    auto& info = nodes_[static_cast<size_t>(node)];
    info.queued = false;
    if (info.state != NodeState::kPending || info.unsatisfied != 0) continue;
    info.state = NodeState::kRunning;
    info.retry_at_ms = 0;
    ++info.attempts;
    ++running_;
    taken.push_back(node);
  }
  return taken;
}

void Scheduler::set_state(int node, NodeState state, const std::string& reason,
                          std::vector<Transition>& changes) {
  auto& info = nodes_[static_cast<size_t>(node)];
  bool was_open = open_state(info.state);
  if (info.state == NodeState::kRunning) --running_;
  info.state = state;
  if (was_open && !open_state(state)) --open_;
  changes.push_back({node, state, reason, info.retry_at_ms});
}

// A node reached a final state: tell its dependents.
void Scheduler::settle(int node, std::vector<Transition>& changes) {
  if (satisfied_by(node)) {
    for (int dependent : graph_.dependents[static_cast<size_t>(node)]) {
      auto& info = nodes_[static_cast<size_t>(dependent)];
      if (info.unsatisfied > 0) --info.unsatisfied;
      enqueue_if_ready(dependent);
    }
    return;
  }
  const auto& spec = spec_.nodes[static_cast<size_t>(node)];
  std::string verb = state(node) == NodeState::kSkipped     ? "was skipped"
                     : state(node) == NodeState::kCancelled ? "was cancelled"
                     : state(node) == NodeState::kBlocked   ? "is blocked"
                                                            : "failed";
  block_downstream(node, "dependency " + spec.id + " " + verb, changes);
}

void Scheduler::block_downstream(int node, const std::string& reason,
                                 std::vector<Transition>& changes) {
  std::vector<int> stack(graph_.dependents[static_cast<size_t>(node)].begin(),
                         graph_.dependents[static_cast<size_t>(node)].end());
  while (!stack.empty()) {
    int at = stack.back();
    stack.pop_back();
    if (nodes_[static_cast<size_t>(at)].state != NodeState::kPending) continue;
    set_state(at, NodeState::kBlocked, reason, changes);
    for (int next : graph_.dependents[static_cast<size_t>(at)]) stack.push_back(next);
  }
}

std::vector<Scheduler::Transition> Scheduler::finish(int node, Outcome outcome,
                                                     const std::string& reason, int64_t now_ms) {
  std::vector<Transition> changes;
  auto& info = nodes_[static_cast<size_t>(node)];
  if (info.state != NodeState::kRunning) return changes;
  const auto& spec = spec_.nodes[static_cast<size_t>(node)];
  if (outcome == Outcome::kDone) {
    set_state(node, NodeState::kDone, reason, changes);
  } else if (outcome == Outcome::kFailed && info.attempts < spec.max_attempts && !cancelled_) {
    int64_t delay = spec.backoff_ms;
    for (int i = 1; i < info.attempts && delay < kMaxBackoffMs; ++i) delay *= 2;
    delay = std::min(delay, kMaxBackoffMs);
    info.retry_at_ms = delay > 0 ? now_ms + delay : 0;
    set_state(node, NodeState::kPending, reason, changes);
    enqueue_if_ready(node);
    return changes;
  } else {
    set_state(node, outcome == Outcome::kCancelled ? NodeState::kCancelled : NodeState::kFailed,
              reason, changes);
  }
  settle(node, changes);
  return changes;
}

std::vector<Scheduler::Transition> Scheduler::skip(int node, const std::string& reason) {
  std::vector<Transition> changes;
  if (state(node) != NodeState::kPending) return changes;
  set_state(node, NodeState::kSkipped, reason, changes);
  settle(node, changes);
  return changes;
}

std::vector<Scheduler::Transition> Scheduler::cancel(const std::string& reason) {
  std::vector<Transition> changes;
  cancelled_ = true;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].state == NodeState::kPending) {
      set_state(static_cast<int>(i), NodeState::kCancelled, reason, changes);
    }
  }
  return changes;
}

std::optional<int64_t> Scheduler::next_retry_at() const {
  std::optional<int64_t> earliest;
  for (int node : waiting_retry_) {
    int64_t at = nodes_[static_cast<size_t>(node)].retry_at_ms;
    if (!earliest || at < *earliest) earliest = at;
  }
  return earliest;
}

RunStatus Scheduler::outcome() const {
  if (!finished()) return RunStatus::kRunning;
  if (cancelled_) return RunStatus::kCancelled;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!spec_.nodes[i].optional && nodes_[i].state != NodeState::kDone) {
      return RunStatus::kFailed;
    }
  }
  return RunStatus::kSucceeded;
}

}  // namespace omk::dag
