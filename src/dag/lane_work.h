#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dag/scheduler.h"
#include "dag/spec.h"
#include "runs/run_records.h"

namespace omk::runs {
class RunRecorder;
}
namespace omk::process {
class CancelToken;
}

namespace omk::dag {

// Where an attempt runs, decided before it starts (recorded with node.started).
struct LanePlacement {
  std::string workspace;     // relative to the project root: "." or .omk/worktrees/<run>/<node>
  std::string branch;        // worktree lanes
  std::string start_commit;  // worktree lanes: the commit the worktree starts from
};

// What one attempt of one lane came to, gates included.
struct AttemptResult {
  Scheduler::Outcome outcome = Scheduler::Outcome::kFailed;
  std::string outcome_name = "failed";  // done, failed, timeout, cancelled
  std::optional<int> exit_code;
  std::string reason;
  std::vector<runs::GateRecord> gates;
  std::string commit;  // worktree lanes: the commit holding the lane's changes
  std::vector<std::string> files_changed;
  std::string verdict;   // agent review lanes
  std::string provider;  // agent lanes
};

struct AttemptRequest {
  const NodeSpec* node = nullptr;
  int number = 1;  // 1-based attempt number, as recorded
  LanePlacement placement;
  // Called from the worker thread with each chunk of the lane's output (already redacted).
  std::function<void(std::string_view chunk)> on_output;
};

// Runs one attempt of one lane from start to verdict: prepares its workspace, runs the lane
// (command, builtin or agent), checks every evidence gate, and commits a worktree lane's
// changes. Called on a worker thread; implementations must be safe to call concurrently for
// different nodes. Never throws for anything a lane does; a broken setup comes back as a
// failed attempt with the reason.
class LaneWork {
 public:
  virtual ~LaneWork() = default;
  virtual LanePlacement place(const NodeSpec& node) = 0;
  virtual AttemptResult run_attempt(const AttemptRequest& request) = 0;
};

// What an agent runtime learns when a run starts.
struct AgentRunContext {
  const DagSpec* spec = nullptr;
  runs::RunRecorder* recorder = nullptr;  // decisions.jsonl, harness.json, lanes/<node>/
  std::string run_id;
  std::string base_commit;
  const process::CancelToken* cancel = nullptr;  // the run's (Ctrl-C)
};

// The seam where the routing layer plugs in agent lanes (RoutedAgentRuntime,
// dag/routed_agents.h). NoAgentRuntime says why no agent lane can run, and the executor records
// optional agent lanes as skipped.
class AgentRuntime {
 public:
  virtual ~AgentRuntime() = default;
  // nullopt when this runtime can run `node`; otherwise the reason it cannot.
  virtual std::optional<std::string> unavailable(const NodeSpec& node) const = 0;
  // Called once the run exists, before any lane starts.
  virtual void begin_run(const AgentRunContext& /*run*/) {}
  // Runs one attempt of an agent lane in `workspace`. Only called when unavailable() said yes.
  // request.on_output writes to the lane's stdout.log (through the redactor) and the progress.
  virtual AttemptResult run(const AttemptRequest& request, const std::string& workspace) = 0;
  // Called after the attempt's evidence gates were checked, with the attempt's final result
  // (the router's history counts a lane whose gates failed as not passed).
  virtual void attempt_finished(const AttemptRequest& /*request*/,
                                const AttemptResult& /*result*/) {}
};

class NoAgentRuntime final : public AgentRuntime {
 public:
  static constexpr const char* kReason = "no agent runtime is configured";
  std::optional<std::string> unavailable(const NodeSpec&) const override { return kReason; }
  AttemptResult run(const AttemptRequest&, const std::string&) override;
};

}  // namespace omk::dag
