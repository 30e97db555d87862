#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runs/run_records.h"
#include "runs/run_store.h"

struct sqlite3;

namespace omk::runs {

// Outcome of one provider attempt, the history the router scores providers with.
struct ProviderOutcome {
  std::string run_id;
  std::string node;
  int attempt = 0;
  std::string provider;
  std::string outcome;  // done, failed, timeout, ...
  int64_t duration_ms = 0;
  std::string at;
};

struct ReindexReport {
  int runs = 0;
  int nodes = 0;
  int attempts = 0;
  int gate_results = 0;
  std::vector<std::string> unreadable;  // run ids whose files could not be read, with reasons
};

// The SQLite index at .omk/omk.db (0600): runs, nodes, attempts, gate results and provider
// outcomes. The run directories are the record; the index is derived from them, refreshed
// incrementally (a run is re-read when its files changed) and rebuilt with `omk runs reindex`.
class RunIndex {
 public:
  explicit RunIndex(const RunStore& store);
  ~RunIndex();
  RunIndex(const RunIndex&) = delete;
  RunIndex& operator=(const RunIndex&) = delete;

  // Re-reads one run's files into the index.
  void ingest(std::string_view run_id);
  // Brings the index up to date with the run directories: new or changed runs are ingested,
  // rows of deleted runs removed. Interrupted runs are recognised here (their lock is free).
  void sync();
  // Drops every row and ingests every run.
  ReindexReport rebuild();

  // Listing, newest first; `status` filters when given.
  std::vector<RunSummary> list(std::optional<RunStatus> status = std::nullopt);
  std::vector<ProviderOutcome> provider_outcomes(std::string_view provider);

 private:
  void exec(const char* sql);
  void ingest_locked(std::string_view run_id, ReindexReport* report);
  std::string fingerprint(std::string_view run_id) const;

  const RunStore& store_;
  sqlite3* db_ = nullptr;
};

}  // namespace omk::runs
