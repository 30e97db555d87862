#include "dag/executor.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "core/clock.h"

namespace omk::dag {
namespace {

using runs::NodeState;
using runs::RunStatus;

struct Job {
  int node;
  AttemptRequest request;
};

struct Completion {
  int node;
  int number;
  int64_t started_ms;
  AttemptResult result;
};

// A fixed pool of worker threads. Lanes' children are tied to the thread that spawned them
// (PR_SET_PDEATHSIG), so threads live as long as the run.
class WorkerPool {
 public:
  WorkerPool(int size, LaneWork& work, std::function<int64_t()> now) : work_(work), now_(now) {
    for (int i = 0; i < size; ++i) threads_.emplace_back([this] { loop(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_workers_.notify_all();
    for (auto& thread : threads_) thread.join();
  }

  void submit(Job job) {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    wake_workers_.notify_one();
  }

  // Waits up to `timeout_ms` for completions and takes them all.
  std::vector<Completion> wait(int64_t timeout_ms) {
    std::unique_lock lock(mutex_);
    wake_loop_.wait_for(lock, std::chrono::milliseconds(std::max<int64_t>(timeout_ms, 0)),
                        [this] { return !done_.empty(); });
    std::vector<Completion> out(std::make_move_iterator(done_.begin()),
                                std::make_move_iterator(done_.end()));
    done_.clear();
    return out;
  }

 private:
  void loop() {
    while (true) {
      Job job;
      {
        std::unique_lock lock(mutex_);
        wake_workers_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      Completion completion{job.node, job.request.number, now_(), {}};
      try {
        completion.result = work_.run_attempt(job.request);
      } catch (const std::exception& error) {
        completion.result.outcome = Scheduler::Outcome::kFailed;
        completion.result.outcome_name = "failed";
        completion.result.reason = std::string("omk could not run the lane: ") + error.what();
      }
      {
        std::lock_guard lock(mutex_);
        done_.push_back(std::move(completion));
      }
      wake_loop_.notify_one();
    }
  }

  LaneWork& work_;
  std::function<int64_t()> now_;
  std::mutex mutex_;
  std::condition_variable wake_workers_;
  std::condition_variable wake_loop_;
  std::deque<Job> jobs_;
  std::deque<Completion> done_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

int counted_attempts(const runs::NodeRecord& record) {
  // Interrupted and cancelled attempts were not the lane's fault: they do not use up retries.
  return static_cast<int>(std::count_if(
      record.attempts.begin(), record.attempts.end(), [](const runs::AttemptRecord& attempt) {
        return attempt.outcome == "failed" || attempt.outcome == "timeout";
      }));
}

}  // namespace

AttemptResult NoAgentRuntime::run(const AttemptRequest&, const std::string&) {
  AttemptResult result;
  result.reason = kReason;
  return result;
}

Executor::Executor(const DagSpec& spec, runs::RunRecorder& recorder, LaneWork& work,
                   const AgentRuntime& agents, ExecutorOptions options)
    : spec_(spec),
      graph_(build_graph(spec)),
      recorder_(recorder),
      work_(work),
      agents_(agents),
      options_(std::move(options)) {
  if (!options_.now_ms) options_.now_ms = [] { return monotonic_ms(); };
  options_.workers = std::max(1, options_.workers);
}

runs::RunStatus Executor::run() {
  Scheduler scheduler(spec_, graph_);
  const size_t count = spec_.nodes.size();
  std::vector<int> recorded_attempts(count, 0);
  std::vector<LanePlacement> placements(count);

  // Continue from what the record says (a fresh run records every node pending).
  runs::RunState recorded = recorder_.state();
  for (size_t i = 0; i < count; ++i) {
    const auto& node = spec_.nodes[i];
    placements[i] = work_.place(node);
    const runs::NodeRecord* record = recorded.find(node.id);
    if (!record) continue;
    recorded_attempts[i] = static_cast<int>(record->attempts.size());
    scheduler.restore(static_cast<int>(i), record->state, counted_attempts(*record));
    if (record->state == NodeState::kRunning && !record->attempts.empty()) {
      recorder_.emit("node.finished", node.id,
                     {{"attempt", record->attempts.back().number},
                      {"state", "pending"},
                      {"outcome", "interrupted"},
                      {"reason", "omk stopped while this lane ran; it runs again"}});
    } else if (record->state != NodeState::kPending && record->state != NodeState::kDone &&
               record->state != NodeState::kSkipped) {
      recorder_.emit("node.state", node.id,
                     {{"state", "pending"}, {"reason", "resumed: runs again"}});
    }
  }

  auto emit_changes = [&](const std::vector<Scheduler::Transition>& changes, size_t from) {
    for (size_t i = from; i < changes.size(); ++i) {
      const auto& change = changes[i];
      recorder_.emit(
          "node.state", spec_.nodes[static_cast<size_t>(change.node)].id,
          {{"state", std::string(runs::to_string(change.state))}, {"reason", change.reason}});
    }
  };
  emit_changes(scheduler.start(), 0);

  for (size_t i = 0; i < count; ++i) {
    const auto& node = spec_.nodes[i];
    if (node.kind != NodeKind::kAgent ||
        scheduler.state(static_cast<int>(i)) != NodeState::kPending) {
      continue;
    }
    if (auto why = agents_.unavailable(node)) {
      // Required agent lanes are refused before a run starts; this one is optional.
      recorder_.decide(node.id, "skip-policy", *why, {{"provider", node.provider}});
      emit_changes(scheduler.skip(static_cast<int>(i), *why), 0);
    }
  }

  WorkerPool pool(options_.workers, work_, options_.now_ms);
  bool cancelling = false;
  int in_flight = 0;
  // Every pending node becomes cancelled (not blocked behind a cancelled lane), so this runs
  // before a completion is folded in: the process runner may report a lane cancelled before
  // the loop has looked at the request.
  auto notice_cancel = [&] {
    if (!cancelling && options_.cancel_requested && options_.cancel_requested()) {
      cancelling = true;
      emit_changes(scheduler.cancel("cancelled: omk was interrupted"), 0);
    }
  };
  while (true) {
    notice_cancel();
    int64_t now = options_.now_ms();
    for (int node : scheduler.take_ready(options_.workers - scheduler.running(), now)) {
      const auto& spec = spec_.nodes[static_cast<size_t>(node)];
      int number = ++recorded_attempts[static_cast<size_t>(node)];
      const auto& placement = placements[static_cast<size_t>(node)];
      Json data = {{"attempt", number}, {"workspace", placement.workspace}};
      if (!placement.branch.empty()) data["branch"] = placement.branch;
      if (!placement.start_commit.empty()) data["start_commit"] = placement.start_commit;
      recorder_.emit("node.started", spec.id, data);
      AttemptRequest request;
      request.node = &spec;
      request.number = number;
      request.placement = placement;
      if (options_.on_output) {
        std::string id = spec.id;
        auto sink = options_.on_output;
        request.on_output = [sink, id](std::string_view chunk) { sink(id, chunk); };
      }
      pool.submit({node, std::move(request)});
      ++in_flight;
    }
    if (in_flight == 0 && scheduler.finished()) break;
    if (in_flight == 0 && !scheduler.next_retry_at() && !cancelling) {
      // Nothing runs and nothing can: only possible if the graph had no way forward.
      emit_changes(scheduler.cancel("no node could run"), 0);
      break;
    }
    int64_t wait_ms = 100;  // how often a cancel request is noticed
    if (auto retry = scheduler.next_retry_at()) wait_ms = std::min(wait_ms, *retry - now);
    auto completions = pool.wait(wait_ms);
    notice_cancel();
    for (auto& completion : completions) {
      --in_flight;
      const auto& spec = spec_.nodes[static_cast<size_t>(completion.node)];
      AttemptResult& result = completion.result;
      if (cancelling && result.outcome == Scheduler::Outcome::kFailed) {
        result.outcome = Scheduler::Outcome::kCancelled;
        result.outcome_name = "cancelled";
      }
      for (const auto& gate : result.gates) {
        recorder_.emit("gate.finished", spec.id,
                       {{"attempt", completion.number}, {"gate", runs::to_json(gate)}});
      }
      auto changes =
          scheduler.finish(completion.node, result.outcome, result.reason, options_.now_ms());
      if (changes.empty()) continue;
      Json data = {
          {"attempt", completion.number},
          {"state", std::string(runs::to_string(changes.front().state))},
          {"outcome", result.outcome_name},
          {"reason", result.reason},
          {"duration_ms", std::max<int64_t>(0, options_.now_ms() - completion.started_ms)}};
      if (result.exit_code) data["exit_code"] = *result.exit_code;
      if (!result.commit.empty()) data["commit"] = result.commit;
      if (!result.files_changed.empty()) data["files_changed"] = result.files_changed;
      if (!result.verdict.empty()) data["verdict"] = result.verdict;
      if (!result.provider.empty()) data["provider"] = result.provider;
      recorder_.emit("node.finished", spec.id, data);
      if (changes.front().state == NodeState::kPending) {
        int64_t delay = std::max<int64_t>(0, changes.front().retry_at_ms - options_.now_ms());
        recorder_.emit("node.retry", spec.id,
                       {{"attempt", completion.number + 1}, {"delay_ms", delay}});
        recorder_.decide(
            spec.id, "retry-policy",
            "attempt " + std::to_string(completion.number) + " failed: " + result.reason,
            {{"next_attempt", completion.number + 1}, {"delay_ms", delay}});
      }
      emit_changes(changes, 1);
    }
  }
  RunStatus status = scheduler.outcome();
  if (status == RunStatus::kRunning) status = RunStatus::kFailed;
  recorder_.finish(status);
  return status;
}

}  // namespace omk::dag
