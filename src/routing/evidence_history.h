#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routing/risk.h"

struct sqlite3;

namespace omk::routing {

enum class TurnOutcome { kSucceeded, kFailed, kTimedOut, kCancelled, kRefused };
std::string_view to_string(TurnOutcome outcome);
std::optional<TurnOutcome> parse_turn_outcome(std::string_view text);

// Whether the turn's evidence gates passed; kNone when it had none.
enum class EvidenceResult { kNone, kPassed, kFailed };
std::string_view to_string(EvidenceResult evidence);
std::optional<EvidenceResult> parse_evidence_result(std::string_view text);

// One finished turn or lane, as the router's scores read it back.
struct OutcomeRecord {
  std::string runtime;      // the runtime (provider) that ran it
  Risk risk = Risk::kRead;  // the turn's effective risk, its intent for scoring
  TurnOutcome outcome = TurnOutcome::kSucceeded;
  EvidenceResult evidence = EvidenceResult::kNone;
  std::string finished_at;  // RFC 3339 UTC; empty: now
  std::string run_id;
  std::string node_id;
  int64_t duration_ms = 0;

  // A turn counts as passed when it succeeded and no evidence gate failed.
  bool passed() const;
};

struct RuntimeStats {
  int turns = 0;
  int passed = 0;
};

// The history in SQLite at .omk/history.db (0600; WAL, so lanes can record concurrently).
// Every finished turn or lane is recorded; the router's pass rates and failure penalties are
// read from here, so a runtime that keeps failing ranks lower on the next turn.
class EvidenceHistory {
 public:
  // Opens (creating) the database; throws UserError naming the path when it cannot.
  explicit EvidenceHistory(const std::filesystem::path& db_path);
  ~EvidenceHistory();
  EvidenceHistory(const EvidenceHistory&) = delete;
  EvidenceHistory& operator=(const EvidenceHistory&) = delete;

  // <project>/.omk/history.db
  static std::filesystem::path default_path(const std::filesystem::path& project_root);

  void record(const OutcomeRecord& record);
  // Sets the evidence of the latest turn `runtime` recorded for (run_id, node_id): a DAG lane's
  // gates are checked after its turn was recorded, and a lane whose gates failed did not pass.
  // Returns false when there is no such turn.
  bool record_evidence(std::string_view run_id, std::string_view node_id, std::string_view runtime,
                       EvidenceResult evidence);

  // Totals for a runtime, all risks or one.
  RuntimeStats stats(std::string_view runtime, std::optional<Risk> risk = std::nullopt) const;
  // How many of the runtime's last `window` turns did not pass.
  int recent_failures(std::string_view runtime, int window = 10) const;
  // The runtime's most recent turns that did not pass, newest first.
  std::vector<OutcomeRecord> failures(std::string_view runtime, int limit = 5) const;

  const std::filesystem::path& path() const { return path_; }

 private:
  void exec(const char* sql);
  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

}  // namespace omk::routing
