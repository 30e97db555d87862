#include "runs/run_recorder.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "core/build_info.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"
#include "runs/run_index.h"

namespace omk::runs {
namespace fs = std::filesystem;

namespace {

// A kill -9 in the middle of an atomic write leaves its temporary file (".state.json.tmp.XXXXXX")
// beside the record, which itself stays whole. Whoever next holds the run's lock removes them.
void remove_abandoned_temp_files(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!name.empty() && name[0] == '.' && name.find(".tmp.") != std::string::npos &&
        entry.is_regular_file(ec)) {
      fs::remove(entry.path(), ec);
    }
  }
}

}  // namespace

RunRecorder::RunRecorder(const RunStore& store, std::string run_id, RunLock lock)
    : store_(store),
      run_id_(std::move(run_id)),
      dir_(store.run_dir(run_id_)),
      lock_(std::move(lock)) {}

RunRecorder::~RunRecorder() = default;

std::unique_ptr<RunRecorder> RunRecorder::create(const RunStore& store, const NewRun& run,
                                                 Observer observer) {
  fs::path dir = store.run_dir(run.run_id);
  ensure_private_ignored_dir(store.runs_dir());
  if (::mkdir(dir.c_str(), 0700) != 0) {
    if (errno == EEXIST) throw usage_error("run directory already exists: " + dir.string());
    throw usage_error("cannot create " + dir.string() + ": " + std::strerror(errno));
  }
  auto lock = RunLock::try_acquire(dir);
  if (!lock) throw usage_error("cannot lock new run directory " + dir.string());
  std::unique_ptr<RunRecorder> recorder(new RunRecorder(store, run.run_id, std::move(*lock)));
  std::string now = utc_timestamp();
  recorder->state_.run_id = run.run_id;
  recorder->state_.updated_at = now;
  for (const auto& declared : run.nodes) {
    NodeRecord node;
    node.id = declared.id;
    node.kind = declared.kind;
    node.optional = declared.optional;
    recorder->state_.nodes.push_back(std::move(node));
  }
  // state.json before run.json: a listed run always has a checkpoint.
  write_private_json(dir / "state.json", to_json(recorder->state_));
  Json manifest = json_envelope("run-manifest");
  manifest["run_id"] = run.run_id;
  manifest["status"] = "running";
  manifest["omk_version"] = build_info().version;
  manifest["started_at"] = now;
  manifest["finished_at"] = nullptr;
  manifest["owner_pid"] = static_cast<int64_t>(::getpid());
  for (auto it = run.manifest.begin(); it != run.manifest.end(); ++it)
    manifest[it.key()] = it.value();
  recorder->manifest_ = manifest;
  write_private_json(dir / "run.json", manifest);
  recorder->events_ = std::make_unique<JsonlWriter>(dir / "events.jsonl");
  recorder->evidence_ = std::make_unique<JsonlWriter>(dir / "evidence.jsonl");
  recorder->decisions_ = std::make_unique<JsonlWriter>(dir / "decisions.jsonl");
  Json declared = Json::array();
  for (const auto& node : run.nodes) {
    declared.push_back({{"id", node.id}, {"kind", node.kind}, {"optional", node.optional}});
  }
  if (observer) recorder->observers_.push_back(std::move(observer));
  recorder->emit("run.started", "", {{"nodes", declared}});
  recorder->checkpoint();
  return recorder;
}

std::unique_ptr<RunRecorder> RunRecorder::resume(const RunStore& store, const std::string& run_id,
                                                 Observer observer) {
  store.require(run_id);
  fs::path dir = store.run_dir(run_id);
  std::optional<RunLock> lock;
  // `omk runs` probes the lock for an instant; try a few times before calling the run live.
  for (int i = 0; i < 20 && !lock; ++i) {
    lock = RunLock::try_acquire(dir);
    if (!lock) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  if (!lock) {
    throw usage_error("run " + run_id + " is still being executed by another omk process; " +
                      "wait for it or cancel it first");
  }
  std::unique_ptr<RunRecorder> recorder(new RunRecorder(store, run_id, std::move(*lock)));
  remove_abandoned_temp_files(dir);
  recorder->manifest_ = store.load_manifest(run_id);
  recorder->state_ = store.load_state(run_id);
  recorder->events_ = std::make_unique<JsonlWriter>(dir / "events.jsonl");
  recorder->evidence_ = std::make_unique<JsonlWriter>(dir / "evidence.jsonl");
  recorder->decisions_ = std::make_unique<JsonlWriter>(dir / "decisions.jsonl");
  recorder->decision_seq_ = static_cast<int64_t>(store.load_decisions(run_id).size());
  Json manifest_update = {{"status", "running"},
                          {"finished_at", nullptr},
                          {"owner_pid", static_cast<int64_t>(::getpid())}};
  recorder->update_manifest(manifest_update);
  if (observer) recorder->observers_.push_back(std::move(observer));
  Json declared = Json::array();
  for (const auto& node : recorder->state_.nodes) {
    declared.push_back({{"id", node.id}, {"kind", node.kind}, {"optional", node.optional}});
  }
  recorder->emit("run.resumed", "", {{"nodes", declared}});
  recorder->checkpoint();
  return recorder;
}

Json RunRecorder::event_locked(const std::string& type, const std::string& node, const Json& data) {
  Json event = json_envelope("event");
  event["seq"] = state_.event_seq + 1;
  event["at"] = utc_timestamp();
  event["run_id"] = run_id_;
  event["type"] = type;
  if (!node.empty()) event["node"] = node;
  event["data"] = data;
  event = redact_json(event);
  events_->append(event);
  apply_event(state_, event);
  if (type == "gate.finished" && data.contains("gate")) {
    Json evidence = json_envelope("evidence");
    evidence["run_id"] = run_id_;
    evidence["node"] = node;
    evidence["attempt"] = data.value("attempt", 0);
    evidence["at"] = event["at"];
    for (auto it = data["gate"].begin(); it != data["gate"].end(); ++it) {
      evidence[it.key()] = it.value();
    }
    evidence_->append(evidence);
  }
  return event;
}

Json RunRecorder::emit(const std::string& type, const std::string& node, const Json& data) {
  Json event;
  std::vector<Observer> observers;
  {
    std::lock_guard lock(mutex_);
    event = event_locked(type, node, data);
    if (monotonic_ms() - last_checkpoint_ms_ >= checkpoint_interval_ms_) checkpoint_locked();
    observers = observers_;
  }
  for (const auto& observer : observers) observer(event);
  return event;
}

void RunRecorder::decide(const std::string& node, const std::string& kind,
                         const std::string& reason, const Json& details, const std::string& actor) {
  std::lock_guard lock(mutex_);
  Json decision = json_envelope("decision");
  decision["run_id"] = run_id_;
  decision["decision_id"] = run_id_ + "-d" + std::to_string(++decision_seq_);
  decision["at"] = utc_timestamp();
  if (!node.empty()) decision["node"] = node;
  decision["kind"] = kind;
  decision["actor"] = actor;
  decision["reason"] = reason;
  decision["details"] = details;
  decisions_->append(decision);
}

void RunRecorder::checkpoint_locked() {
  write_private_json(dir_ / "state.json", to_json(state_));
  last_checkpoint_ms_ = monotonic_ms();
}

void RunRecorder::checkpoint() {
  std::lock_guard lock(mutex_);
  checkpoint_locked();
}

void RunRecorder::update_manifest(const Json& fields) {
  std::lock_guard lock(mutex_);
  for (auto it = fields.begin(); it != fields.end(); ++it) manifest_[it.key()] = it.value();
  write_private_json(dir_ / "run.json", manifest_);
}

void RunRecorder::write_harness(const Json& lanes) {
  std::lock_guard lock(mutex_);
  harness_lanes_ = lanes;
  Json harness = json_envelope("harness");
  harness["run_id"] = run_id_;
  harness["lanes"] = harness_lanes_;
  write_private_json(dir_ / "harness.json", harness);
}

void RunRecorder::set_harness_lane(const std::string& node, const Json& entry) {
  std::lock_guard lock(mutex_);
  harness_lanes_[node] = entry;
  Json harness = json_envelope("harness");
  harness["run_id"] = run_id_;
  harness["lanes"] = harness_lanes_;
  write_private_json(dir_ / "harness.json", harness);
}

void RunRecorder::finish(RunStatus status) {
  emit("run.finished", "", {{"status", std::string(to_string(status))}});
  checkpoint();
  update_manifest({{"status", std::string(to_string(status))}, {"finished_at", utc_timestamp()}});
  try {
    RunIndex index(store_);
    index.ingest(run_id_);
  } catch (const std::exception& error) {
    // The files are the record; the index is rebuilt from them with `omk runs reindex`.
    log::warn("run index not updated ({}); run `omk runs reindex`", error.what());
  }
}

void RunRecorder::add_observer(Observer observer) {
  std::lock_guard lock(mutex_);
  observers_.push_back(std::move(observer));
}

RunState RunRecorder::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

fs::path RunRecorder::lane_dir(const std::string& node) {
  fs::path lane = dir_ / "lanes" / node;
  ensure_private_dir(lane);
  return lane;
}

}  // namespace omk::runs
