#include "routing/evidence_history.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <system_error>

#include "core/clock.h"
#include "core/error.h"

namespace omk::routing {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS outcomes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  finished_at TEXT NOT NULL,
  runtime TEXT NOT NULL,
  risk TEXT NOT NULL,
  outcome TEXT NOT NULL,
  evidence TEXT NOT NULL,
  passed INTEGER NOT NULL,
  run_id TEXT NOT NULL DEFAULT '',
  node_id TEXT NOT NULL DEFAULT '',
  duration_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outcomes_by_runtime ON outcomes (runtime, id);
PRAGMA user_version = 1;
)sql";

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("sqlite prepare: ") + sqlite3_errmsg(db));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void bind(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("sqlite step: ") + sqlite3_errmsg(db_));
  }
  std::string text(int column) const {
    const unsigned char* value = sqlite3_column_text(stmt_, column);
    return value ? reinterpret_cast<const char*>(value) : "";
  }
  int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Created 0600 before SQLite opens it: the history names runs and runtimes, nobody else's.
void create_private(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
}

}  // namespace

std::string_view to_string(TurnOutcome outcome) {
  switch (outcome) {
    case TurnOutcome::kSucceeded:
      return "succeeded";
    case TurnOutcome::kFailed:
      return "failed";
    case TurnOutcome::kTimedOut:
      return "timed-out";
    case TurnOutcome::kCancelled:
      return "cancelled";
    case TurnOutcome::kRefused:
      return "refused";
  }
  return "failed";
}

std::optional<TurnOutcome> parse_turn_outcome(std::string_view text) {
  for (TurnOutcome o : {TurnOutcome::kSucceeded, TurnOutcome::kFailed, TurnOutcome::kTimedOut,
                        TurnOutcome::kCancelled, TurnOutcome::kRefused}) {
    if (to_string(o) == text) return o;
  }
  return std::nullopt;
}

std::string_view to_string(EvidenceResult evidence) {
  switch (evidence) {
    case EvidenceResult::kNone:
      return "none";
    case EvidenceResult::kPassed:
      return "passed";
    case EvidenceResult::kFailed:
      return "failed";
  }
  return "none";
}

std::optional<EvidenceResult> parse_evidence_result(std::string_view text) {
  for (EvidenceResult e :
       {EvidenceResult::kNone, EvidenceResult::kPassed, EvidenceResult::kFailed}) {
    if (to_string(e) == text) return e;
  }
  return std::nullopt;
}

bool OutcomeRecord::passed() const {
  return outcome == TurnOutcome::kSucceeded && evidence != EvidenceResult::kFailed;
}

std::filesystem::path EvidenceHistory::default_path(const std::filesystem::path& project_root) {
  return project_root / ".omk" / "history.db";
}

EvidenceHistory::EvidenceHistory(const std::filesystem::path& db_path) : path_(db_path) {
  std::error_code ec;
  std::filesystem::create_directories(db_path.parent_path(), ec);
  create_private(db_path);
  if (sqlite3_open_v2(db_path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw UserError(ExitCode::kUsage,
                    fmt::format("cannot open the evidence history {}: {}; check that .omk/ is "
                                "writable",
                                db_path.string(), why));
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    exec("PRAGMA journal_mode = WAL;");
    exec(kSchema);
  } catch (const std::exception& e) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw UserError(ExitCode::kUsage,
                    fmt::format("the evidence history {} is not usable ({}); move it aside and "
                                "omk starts a new one",
                                db_path.string(), e.what()));
  }
}

EvidenceHistory::~EvidenceHistory() {
  sqlite3_close(db_);
}

void EvidenceHistory::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(message);
  }
}

void EvidenceHistory::record(const OutcomeRecord& r) {
  Statement insert(db_,
                   "INSERT INTO outcomes (finished_at, runtime, risk, outcome, evidence, passed, "
                   "run_id, node_id, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, r.finished_at.empty() ? utc_timestamp() : r.finished_at);
  insert.bind(2, r.runtime);
  insert.bind(3, to_string(r.risk));
  insert.bind(4, to_string(r.outcome));
  insert.bind(5, to_string(r.evidence));
  insert.bind(6, int64_t{r.passed() ? 1 : 0});
  insert.bind(7, r.run_id);
  insert.bind(8, r.node_id);
  insert.bind(9, r.duration_ms);
  insert.step();
}

bool EvidenceHistory::record_evidence(std::string_view run_id, std::string_view node_id,
                                      std::string_view runtime, EvidenceResult evidence) {
  Statement update(db_,
                   "UPDATE outcomes SET evidence = ?, passed = (outcome = 'succeeded' AND ? <> "
                   "'failed') WHERE id = (SELECT MAX(id) FROM outcomes WHERE run_id = ? AND "
                   "node_id = ? AND runtime = ?) RETURNING id");
  update.bind(1, to_string(evidence));
  update.bind(2, to_string(evidence));
  update.bind(3, run_id);
  update.bind(4, node_id);
  update.bind(5, runtime);
  // RETURNING, not sqlite3_changes(): lanes on other threads share the connection.
  bool found = update.step();
  while (update.step()) {
  }
  return found;
}

RuntimeStats EvidenceHistory::stats(std::string_view runtime, std::optional<Risk> risk) const {
  Statement query(db_, risk ? "SELECT COUNT(*), COALESCE(SUM(passed), 0) FROM outcomes "
                              "WHERE runtime = ? AND risk = ?"
                            : "SELECT COUNT(*), COALESCE(SUM(passed), 0) FROM outcomes "
                              "WHERE runtime = ?");
  query.bind(1, runtime);
  if (risk) query.bind(2, to_string(*risk));
  RuntimeStats stats;
  if (query.step()) {
    stats.turns = static_cast<int>(query.integer(0));
    stats.passed = static_cast<int>(query.integer(1));
  }
  return stats;
}

int EvidenceHistory::recent_failures(std::string_view runtime, int window) const {
  Statement query(db_,
                  "SELECT COUNT(*) - COALESCE(SUM(passed), 0) FROM (SELECT passed FROM outcomes "
                  "WHERE runtime = ? ORDER BY id DESC LIMIT ?)");
  query.bind(1, runtime);
  query.bind(2, int64_t{window});
  return query.step() ? static_cast<int>(query.integer(0)) : 0;
}

std::vector<OutcomeRecord> EvidenceHistory::failures(std::string_view runtime, int limit) const {
  Statement query(db_,
                  "SELECT finished_at, runtime, risk, outcome, evidence, run_id, node_id, "
                  "duration_ms FROM outcomes WHERE runtime = ? AND passed = 0 "
                  "ORDER BY id DESC LIMIT ?");
  query.bind(1, runtime);
  query.bind(2, int64_t{limit});
  std::vector<OutcomeRecord> out;
  while (query.step()) {
    OutcomeRecord r;
    r.finished_at = query.text(0);
    r.runtime = query.text(1);
    r.risk = parse_risk(query.text(2)).value_or(Risk::kRead);
    r.outcome = parse_turn_outcome(query.text(3)).value_or(TurnOutcome::kFailed);
    r.evidence = parse_evidence_result(query.text(4)).value_or(EvidenceResult::kNone);
    r.run_id = query.text(5);
    r.node_id = query.text(6);
    r.duration_ms = query.integer(7);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace omk::routing
