#include "runs/run_index.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <set>
#include <stdexcept>

#include "core/error.h"
#include "runs/private_files.h"

namespace omk::runs {
namespace fs = std::filesystem;
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs(
  id TEXT PRIMARY KEY, status TEXT NOT NULL, goal TEXT, spec_hash TEXT, base_commit TEXT,
  started_at TEXT, finished_at TEXT, fingerprint TEXT);
CREATE TABLE IF NOT EXISTS nodes(
  run_id TEXT NOT NULL, node_id TEXT NOT NULL, kind TEXT, state TEXT, optional INTEGER,
  attempts INTEGER, reason TEXT, commit_id TEXT, verdict TEXT,
  PRIMARY KEY(run_id, node_id));
CREATE TABLE IF NOT EXISTS attempts(
  run_id TEXT NOT NULL, node_id TEXT NOT NULL, number INTEGER NOT NULL, outcome TEXT,
  exit_code INTEGER, started_at TEXT, finished_at TEXT, duration_ms INTEGER, provider TEXT,
  PRIMARY KEY(run_id, node_id, number));
CREATE TABLE IF NOT EXISTS gate_results(
  run_id TEXT NOT NULL, node_id TEXT NOT NULL, attempt INTEGER NOT NULL, gate_index INTEGER,
  gate TEXT, passed INTEGER, reason TEXT, duration_ms INTEGER);
CREATE INDEX IF NOT EXISTS gate_results_by_run ON gate_results(run_id);
CREATE TABLE IF NOT EXISTS provider_outcomes(
  run_id TEXT NOT NULL, node_id TEXT NOT NULL, attempt INTEGER NOT NULL, provider TEXT NOT NULL,
  outcome TEXT, duration_ms INTEGER, at TEXT);
CREATE INDEX IF NOT EXISTS provider_outcomes_by_provider ON provider_outcomes(provider);
)sql";

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int index, int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
  }
  Statement& bind_null(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
  }
  // True while a row is available.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  void run() {
    step();
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string text(int column) const {
    auto* value = sqlite3_column_text(stmt_, column);
    return value ? reinterpret_cast<const char*>(value) : "";
  }
  int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::string file_fingerprint(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "-";
  return std::to_string(st.st_size) + "@" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

std::string string_or(const Json& json, const char* key) {
  auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

RunIndex::RunIndex(const RunStore& store) : store_(store) {
  fs::path path = store.index_path();
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  // Create the file 0600 ourselves: SQLite gives its journal files the database's mode.
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw usage_error("cannot open the run index " + path.string());
  ::fchmod(fd, 0600);
  ::close(fd);
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw usage_error("cannot open the run index " + path.string() + ": " + message +
                      " (delete it and run `omk runs reindex`)");
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    exec("PRAGMA journal_mode=WAL");
    exec(kSchema);
  } catch (const std::exception& error) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw usage_error("the run index " + path.string() + " is unusable (" + error.what() +
                      "); delete it and run `omk runs reindex`");
  }
}

RunIndex::~RunIndex() {
  if (db_) sqlite3_close(db_);
}

void RunIndex::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw std::runtime_error("sqlite: " + text);
  }
}

std::string RunIndex::fingerprint(std::string_view run_id) const {
  fs::path dir = store_.run_dir(run_id);
  return file_fingerprint(dir / "run.json") + "|" + file_fingerprint(dir / "state.json") + "|" +
         file_fingerprint(dir / "events.jsonl");
}

void RunIndex::ingest_locked(std::string_view run_id, ReindexReport* report) {
  std::string id(run_id);
  for (const char* table : {"nodes", "attempts", "gate_results", "provider_outcomes"}) {
    std::string sql = std::string("DELETE FROM ") + table + " WHERE run_id = ?";
    Statement(db_, sql.c_str()).bind(1, id).run();
  }
  Statement(db_, "DELETE FROM runs WHERE id = ?").bind(1, id).run();

  Json manifest = store_.load_manifest(run_id);
  RunState state = store_.load_state(run_id);
  RunStatus status = store_.effective_status(run_id, manifest, state);
  Statement run_row(db_,
                    "INSERT INTO runs(id, status, goal, spec_hash, base_commit, started_at, "
                    "finished_at, fingerprint) VALUES(?,?,?,?,?,?,?,?)");
  run_row.bind(1, id)
      .bind(2, to_string(status))
      .bind(3, string_or(manifest, "goal"))
      .bind(4, string_or(manifest, "spec_hash"))
      .bind(5, string_or(manifest, "base_commit"))
      .bind(6, string_or(manifest, "started_at"))
      .bind(7, string_or(manifest, "finished_at"))
      .bind(8, fingerprint(run_id))
      .run();

  Statement node_row(db_,
                     "INSERT INTO nodes(run_id, node_id, kind, state, optional, attempts, reason, "
                     "commit_id, verdict) VALUES(?,?,?,?,?,?,?,?,?)");
  Statement attempt_row(db_,
                        "INSERT OR REPLACE INTO attempts(run_id, node_id, number, outcome, "
                        "exit_code, started_at, finished_at, duration_ms, provider) "
                        "VALUES(?,?,?,?,?,?,?,?,?)");
  Statement gate_row(db_,
                     "INSERT INTO gate_results(run_id, node_id, attempt, gate_index, gate, passed, "
                     "reason, duration_ms) VALUES(?,?,?,?,?,?,?,?)");
  Statement provider_row(db_,
                         "INSERT INTO provider_outcomes(run_id, node_id, attempt, provider, "
                         "outcome, duration_ms, at) VALUES(?,?,?,?,?,?,?)");
  for (const auto& node : state.nodes) {
    node_row.bind(1, id)
        .bind(2, node.id)
        .bind(3, node.kind)
        .bind(4, to_string(node.state))
        .bind(5, int64_t{node.optional})
        .bind(6, static_cast<int64_t>(node.attempts.size()))
        .bind(7, node.reason)
        .bind(8, node.commit)
        .bind(9, node.verdict)
        .run();
    if (report) ++report->nodes;
    for (const auto& attempt : node.attempts) {
      attempt_row.bind(1, id)
          .bind(2, node.id)
          .bind(3, int64_t{attempt.number})
          .bind(4, attempt.outcome)
          .bind(6, attempt.started_at)
          .bind(7, attempt.finished_at)
          .bind(8, attempt.duration_ms)
          .bind(9, attempt.provider);
      if (attempt.exit_code) {
        attempt_row.bind(5, int64_t{*attempt.exit_code});
      } else {
        attempt_row.bind_null(5);
      }
      attempt_row.run();
      if (report) ++report->attempts;
      for (const auto& gate : attempt.gates) {
        gate_row.bind(1, id)
            .bind(2, node.id)
            .bind(3, int64_t{attempt.number})
            .bind(4, int64_t{gate.index})
            .bind(5, gate.gate)
            .bind(6, int64_t{gate.passed})
            .bind(7, gate.reason)
            .bind(8, gate.duration_ms)
            .run();
        if (report) ++report->gate_results;
      }
      if (!attempt.provider.empty() && !attempt.outcome.empty()) {
        provider_row.bind(1, id)
            .bind(2, node.id)
            .bind(3, int64_t{attempt.number})
            .bind(4, attempt.provider)
            .bind(5, attempt.outcome)
            .bind(6, attempt.duration_ms)
            .bind(7, attempt.finished_at)
            .run();
      }
    }
  }
  if (report) ++report->runs;
}

void RunIndex::ingest(std::string_view run_id) {
  exec("BEGIN IMMEDIATE");
  try {
    ingest_locked(run_id, nullptr);
    exec("COMMIT");
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
}

void RunIndex::sync() {
  std::map<std::string, std::pair<std::string, std::string>> indexed;  // id -> fingerprint, status
  {
    Statement rows(db_, "SELECT id, fingerprint, status FROM runs");
    while (rows.step()) indexed[rows.text(0)] = {rows.text(1), rows.text(2)};
  }
  std::set<std::string> present;
  exec("BEGIN IMMEDIATE");
  try {
    for (const auto& id : store_.list_run_ids()) {
      present.insert(id);
      auto it = indexed.find(id);
      // A running run's files do not change when its process is killed: look again.
      bool stale = it == indexed.end() || it->second.first != fingerprint(id) ||
                   it->second.second == "running";
      if (!stale) continue;
      try {
        ingest_locked(id, nullptr);
      } catch (const UserError&) {
        // Unreadable runs are reported by `omk runs reindex`; listings skip them.
      }
    }
    for (const auto& [id, row] : indexed) {
      if (present.count(id)) continue;
      for (const char* table : {"nodes", "attempts", "gate_results", "provider_outcomes"}) {
        std::string sql = std::string("DELETE FROM ") + table + " WHERE run_id = ?";
        Statement(db_, sql.c_str()).bind(1, id).run();
      }
      Statement(db_, "DELETE FROM runs WHERE id = ?").bind(1, id).run();
    }
    exec("COMMIT");
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
}

ReindexReport RunIndex::rebuild() {
  ReindexReport report;
  exec("BEGIN IMMEDIATE");
  try {
    exec(
        "DELETE FROM runs; DELETE FROM nodes; DELETE FROM attempts; DELETE FROM gate_results; "
        "DELETE FROM provider_outcomes;");
    for (const auto& id : store_.list_run_ids()) {
      try {
        ingest_locked(id, &report);
      } catch (const UserError& error) {
        report.unreadable.push_back(id + ": " + error.what());
      }
    }
    exec("COMMIT");
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
  return report;
}

std::vector<RunSummary> RunIndex::list(std::optional<RunStatus> status) {
  std::vector<RunSummary> runs;
  std::map<std::string, size_t> position;
  {
    Statement rows(db_,
                   "SELECT id, status, goal, spec_hash, base_commit, started_at, finished_at "
                   "FROM runs ORDER BY id DESC");
    while (rows.step()) {
      RunSummary summary;
      summary.id = rows.text(0);
      summary.status = parse_run_status(rows.text(1)).value_or(RunStatus::kRunning);
      if (status && summary.status != *status) continue;
      summary.goal = rows.text(2);
      summary.spec_hash = rows.text(3);
      summary.base_commit = rows.text(4);
      summary.started_at = rows.text(5);
      summary.finished_at = rows.text(6);
      for (NodeState state : all_node_states()) summary.counts[state] = 0;
      position[summary.id] = runs.size();
      runs.push_back(std::move(summary));
    }
  }
  Statement counts(db_, "SELECT run_id, state, COUNT(*) FROM nodes GROUP BY run_id, state");
  while (counts.step()) {
    auto it = position.find(counts.text(0));
    if (it == position.end()) continue;
    if (auto state = parse_node_state(counts.text(1))) {
      runs[it->second].counts[*state] = static_cast<int>(counts.integer(2));
    }
  }
  return runs;
}

std::vector<ProviderOutcome> RunIndex::provider_outcomes(std::string_view provider) {
  std::vector<ProviderOutcome> outcomes;
  Statement rows(db_,
                 "SELECT run_id, node_id, attempt, provider, outcome, duration_ms, at FROM "
                 "provider_outcomes WHERE provider = ? ORDER BY at");
  rows.bind(1, provider);
  while (rows.step()) {
    outcomes.push_back({rows.text(0), rows.text(1), static_cast<int>(rows.integer(2)), rows.text(3),
                        rows.text(4), rows.integer(5), rows.text(6)});
  }
  return outcomes;
}

}  // namespace omk::runs
