#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/json_output.h"
#include "runs/private_files.h"
#include "runs/run_records.h"
#include "runs/run_store.h"

namespace omk::runs {

struct DeclaredNode {
  std::string id;
  std::string kind;
  bool optional = false;
};

struct NewRun {
  std::string run_id;
  // run.json without the fields the recorder owns (schema, run_id, status, timestamps).
  Json manifest = Json::object();
  std::vector<DeclaredNode> nodes;
};

// The one writer of a run directory, held by the process executing the run. Every change is an
// event (omk.event.v1) appended to events.jsonl and folded into the in-memory state; state.json
// is a checkpoint rewritten atomically at most every `checkpoint_interval_ms` (and at start and
// finish), so the cost per event stays constant however large the DAG is. After a crash the
// state is the checkpoint plus the events after it (RunStore::load_state).
class RunRecorder {
 public:
  using Observer = std::function<void(const Json& event)>;

  // Creates .omk/runs/<id>/ (0700), takes the run lock, writes state.json and run.json, and
  // records run.started. Throws UserError when the directory exists already.
  // `observer` (optional) sees every event from run.started on.
  static std::unique_ptr<RunRecorder> create(const RunStore& store, const NewRun& run,
                                             Observer observer = nullptr);
  // Takes over an existing run (nobody else may hold its lock) and records run.resumed.
  static std::unique_ptr<RunRecorder> resume(const RunStore& store, const std::string& run_id,
                                             Observer observer = nullptr);

  ~RunRecorder();
  RunRecorder(const RunRecorder&) = delete;
  RunRecorder& operator=(const RunRecorder&) = delete;

  // Records one event and returns it (with schema, seq, at, run_id). Thread-safe.
  Json emit(const std::string& type, const std::string& node, const Json& data = Json::object());
  // A decision (omk.decision.v1) in decisions.jsonl: why a lane was skipped, retried, blocked.
  // `actor` says who decided: the scheduler (skips, retries) or the router (agent lanes).
  void decide(const std::string& node, const std::string& kind, const std::string& reason,
              const Json& details = Json::object(), const std::string& actor = "scheduler");
  // Writes state.json now.
  void checkpoint();
  // Records run.finished, the final checkpoint, run.json's status and finish time, and the
  // index row. The lock is released when the recorder goes away.
  void finish(RunStatus status);

  void add_observer(Observer observer);
  RunState state() const;
  const std::string& run_id() const { return run_id_; }
  const std::filesystem::path& dir() const { return dir_; }
  const RunStore& store() const { return store_; }
  // lanes/<node>/ (created 0700 on first use).
  std::filesystem::path lane_dir(const std::string& node);
  void set_checkpoint_interval_ms(int64_t interval) { checkpoint_interval_ms_ = interval; }
  // Updates run.json's fields (atomically), e.g. policy facts learnt while running.
  void update_manifest(const Json& fields);
  void write_harness(const Json& lanes);
  // Replaces one lane's entry in harness.json (an agent lane's, once its runtime is chosen).
  // Thread-safe.
  void set_harness_lane(const std::string& node, const Json& entry);

 private:
  RunRecorder(const RunStore& store, std::string run_id, RunLock lock);
  void checkpoint_locked();
  Json event_locked(const std::string& type, const std::string& node, const Json& data);

  const RunStore& store_;
  std::string run_id_;
  std::filesystem::path dir_;
  RunLock lock_;
  mutable std::mutex mutex_;
  RunState state_;
  Json manifest_;
  std::unique_ptr<JsonlWriter> events_;
  std::unique_ptr<JsonlWriter> evidence_;
  std::unique_ptr<JsonlWriter> decisions_;
  std::vector<Observer> observers_;
  int64_t last_checkpoint_ms_ = 0;
  int64_t checkpoint_interval_ms_ = 200;
  int64_t decision_seq_ = 0;
  Json harness_lanes_ = Json::object();
};

}  // namespace omk::runs
