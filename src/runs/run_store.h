#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_output.h"
#include "runs/run_records.h"

namespace omk::runs {

// The on-disk layout of runs, always rooted at the project root (never the process's cwd):
//   <root>/.omk/runs/<run-id>/   run.json state.json events.jsonl evidence.jsonl
//                                decisions.jsonl harness.json lanes/<node>/ lock
//   <root>/.omk/worktrees/<run-id>/<node>/
//   <root>/.omk/omk.db           the SQLite index, rebuilt from the files by `omk runs reindex`
class RunStore {
 public:
  explicit RunStore(std::filesystem::path project_root);

  const std::filesystem::path& project_root() const { return root_; }
  std::filesystem::path runs_dir() const;
  std::filesystem::path worktrees_dir() const;
  std::filesystem::path index_path() const;
  // Throws UserError (exit 2) for an id that is not a valid run id.
  std::filesystem::path run_dir(std::string_view run_id) const;

  // Valid run ids that have a run.json, oldest first (ids sort by start time).
  std::vector<std::string> list_run_ids() const;
  bool exists(std::string_view run_id) const;
  // Throws UserError naming the run and what to do when it does not exist.
  void require(std::string_view run_id) const;

  // run.json as written (omk.run-manifest.v1).
  Json load_manifest(std::string_view run_id) const;
  // state.json (the checkpoint) with every later event of events.jsonl folded in: what the
  // run looked like at its last recorded moment, even after a kill -9.
  RunState load_state(std::string_view run_id) const;
  // The manifest's status, except that a run still marked running whose owner has gone away
  // is interrupted.
  RunStatus effective_status(std::string_view run_id, const Json& manifest,
                             const RunState& state) const;

  std::vector<Json> load_events(std::string_view run_id) const;
  std::vector<Json> load_evidence(std::string_view run_id) const;
  std::vector<Json> load_decisions(std::string_view run_id) const;

 private:
  std::filesystem::path root_;
};

// Held (flock) by the one omk process executing a run. The kernel drops it when that process
// dies however it dies, which is how `omk runs` tells an interrupted run from a live one.
class RunLock {
 public:
  // nullopt when another process holds it.
  static std::optional<RunLock> try_acquire(const std::filesystem::path& run_dir);
  static bool is_held(const std::filesystem::path& run_dir);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// A run's summary for listings and the index.
struct RunSummary {
  std::string id;
  RunStatus status = RunStatus::kRunning;
  std::string goal;
  std::string started_at;
  std::string finished_at;
  std::string spec_hash;
  std::string base_commit;
  std::map<NodeState, int> counts;
};

RunSummary summarize_run(const RunStore& store, std::string_view run_id);

}  // namespace omk::runs
