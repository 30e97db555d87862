#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>

#include "dag/graph.h"
#include "dag/lane_work.h"
#include "dag/spec.h"
#include "runs/run_recorder.h"

namespace omk::dag {

struct ExecutorOptions {
  int workers = 1;
  // Polled by the loop; when it turns true the run is cancelled: pending lanes are cancelled,
  // running ones are stopped by whoever owns the flag (the process layer's cancel token stops
  // every lane's process group) and recorded as cancelled when they return.
  std::function<bool()> cancel_requested;
  // Lane output as it arrives (worker threads; already redacted). For live progress only.
  std::function<void(const std::string& node, std::string_view chunk)> on_output;
  // Injectable clock for tests of retry timing; default: monotonic milliseconds.
  std::function<int64_t()> now_ms;
};

// Drives a DAG to its end: the scheduler decides, `workers` threads run attempts through
// LaneWork, and every state change is recorded (RunRecorder) as it happens. A run recorded
// earlier can be continued: nodes done (or skipped) stay so, everything else runs again.
class Executor {
 public:
  Executor(const DagSpec& spec, runs::RunRecorder& recorder, LaneWork& work,
           const AgentRuntime& agents, ExecutorOptions options);

  // Runs to completion, records run.finished and returns the run's status.
  runs::RunStatus run();

 private:
  const DagSpec& spec_;
  Graph graph_;
  runs::RunRecorder& recorder_;
  LaneWork& work_;
  const AgentRuntime& agents_;
  ExecutorOptions options_;
};

}  // namespace omk::dag
