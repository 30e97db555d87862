#include "runs/run_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <system_error>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/ids.h"
#include "runs/private_files.h"

namespace omk::runs {
namespace fs = std::filesystem;
namespace {

Json read_json_file(const fs::path& path, const std::string& what) {
  auto text = read_file_if_exists(path);
  if (!text) throw usage_error(what + " is missing: " + path.string());
  auto parsed = Json::parse(*text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    throw usage_error(what + " is not valid JSON: " + path.string());
  }
  return parsed;
}

std::string string_or(const Json& json, const char* key) {
  auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

RunStore::RunStore(fs::path project_root) : root_(std::move(project_root)) {}

fs::path RunStore::runs_dir() const {
  return root_ / ".omk" / "runs";
}

fs::path RunStore::worktrees_dir() const {
  return root_ / ".omk" / "worktrees";
}

fs::path RunStore::index_path() const {
  return root_ / ".omk" / "omk.db";
}

fs::path RunStore::run_dir(std::string_view run_id) const {
  if (!is_valid_run_id(run_id)) {
    throw usage_error("'" + std::string(run_id) +
                      "' is not a run id (run ids look like 20261125-220956-3fa9c1; "
                      "see `omk runs`)");
  }
  return runs_dir() / std::string(run_id);
}

std::vector<std::string> RunStore::list_run_ids() const {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(runs_dir(), ec)) {
    std::string name = entry.path().filename().string();
    if (!is_valid_run_id(name)) continue;
    if (!fs::exists(entry.path() / "run.json", ec)) continue;
    ids.push_back(name);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool RunStore::exists(std::string_view run_id) const {
  if (!is_valid_run_id(run_id)) return false;
  std::error_code ec;
  return fs::exists(run_dir(run_id) / "run.json", ec);
}

void RunStore::require(std::string_view run_id) const {
  run_dir(run_id);  // validates the id
  if (!exists(run_id)) {
    throw usage_error("no run '" + std::string(run_id) + "' in " + runs_dir().string() +
                      " (list runs with `omk runs`)");
  }
}

Json RunStore::load_manifest(std::string_view run_id) const {
  require(run_id);
  return read_json_file(run_dir(run_id) / "run.json", "run " + std::string(run_id) + "'s run.json");
}

RunState RunStore::load_state(std::string_view run_id) const {
  fs::path dir = run_dir(run_id);
  RunState state;
  state.run_id = std::string(run_id);
  if (auto text = read_file_if_exists(dir / "state.json")) {
    auto parsed = Json::parse(*text, nullptr, false);
    if (!parsed.is_discarded()) state = run_state_from_json(parsed, (dir / "state.json").string());
  }
  for (const auto& event : read_jsonl(dir / "events.jsonl").records) apply_event(state, event);
  return state;
}

RunStatus RunStore::effective_status(std::string_view run_id, const Json& manifest,
                                     const RunState& state) const {
  auto status = parse_run_status(string_or(manifest, "status")).value_or(RunStatus::kRunning);
  if (status != RunStatus::kRunning) return status;
  // The run.finished event lands before run.json is rewritten; a crash between them still
  // finished the run.
  if (state.status != RunStatus::kRunning) return state.status;
  return RunLock::is_held(run_dir(run_id)) ? RunStatus::kRunning : RunStatus::kInterrupted;
}

std::vector<Json> RunStore::load_events(std::string_view run_id) const {
  return read_jsonl(run_dir(run_id) / "events.jsonl").records;
}

std::vector<Json> RunStore::load_evidence(std::string_view run_id) const {
  return read_jsonl(run_dir(run_id) / "evidence.jsonl").records;
}

std::vector<Json> RunStore::load_decisions(std::string_view run_id) const {
  return read_jsonl(run_dir(run_id) / "decisions.jsonl").records;
}

std::optional<RunLock> RunLock::try_acquire(const fs::path& run_dir) {
  int fd = ::open((run_dir / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return std::nullopt;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  return RunLock(fd);
}

bool RunLock::is_held(const fs::path& run_dir) {
  int fd = ::open((run_dir / "lock").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;  // never locked: nobody owns it
  bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0;
  ::close(fd);
  return held;
}

RunLock::RunLock(RunLock&& other) noexcept : fd_(other.fd_) {
  other.fd_ = -1;
}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);
}

RunSummary summarize_run(const RunStore& store, std::string_view run_id) {
  Json manifest = store.load_manifest(run_id);
  RunState state = store.load_state(run_id);
  RunSummary summary;
  summary.id = std::string(run_id);
  summary.status = store.effective_status(run_id, manifest, state);
  summary.goal = string_or(manifest, "goal");
  summary.started_at = string_or(manifest, "started_at");
  summary.finished_at = string_or(manifest, "finished_at");
  summary.spec_hash = string_or(manifest, "spec_hash");
  summary.base_commit = string_or(manifest, "base_commit");
  summary.counts = state.counts();
  return summary;
}

}  // namespace omk::runs
