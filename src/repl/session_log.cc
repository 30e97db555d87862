#include "repl/session_log.h"

#include "core/error.h"
#include "core/ids.h"
#include "runs/private_files.h"

namespace omk::repl {
namespace {

runs::NodeState node_state(routing::TurnOutcome outcome) {
  switch (outcome) {
    case routing::TurnOutcome::kSucceeded:
      return runs::NodeState::kDone;
    case routing::TurnOutcome::kCancelled:
      return runs::NodeState::kCancelled;
    case routing::TurnOutcome::kRefused:
      return runs::NodeState::kBlocked;
    case routing::TurnOutcome::kFailed:
    case routing::TurnOutcome::kTimedOut:
      return runs::NodeState::kFailed;
  }
  return runs::NodeState::kFailed;
}

// The attempt outcome words the run store uses (done, failed, timeout, cancelled).
std::string attempt_outcome(routing::TurnOutcome outcome) {
  switch (outcome) {
    case routing::TurnOutcome::kSucceeded:
      return "done";
    case routing::TurnOutcome::kTimedOut:
      return "timeout";
    case routing::TurnOutcome::kCancelled:
      return "cancelled";
    case routing::TurnOutcome::kFailed:
    case routing::TurnOutcome::kRefused:
      return "failed";
  }
  return "failed";
}

}  // namespace

std::unique_ptr<SessionLog> SessionLog::start(const std::filesystem::path& project_root,
                                              const Json& manifest) {
  auto store = std::make_unique<runs::RunStore>(project_root);
  runs::NewRun run;
  run.manifest = manifest;
  std::unique_ptr<runs::RunRecorder> recorder;
  for (int tries = 0;; ++tries) {
    run.run_id = new_run_id();
    try {
      recorder = runs::RunRecorder::create(*store, run);
      break;
    } catch (const UserError&) {
      if (tries >= 5) throw;  // an id collision; the id carries milliseconds
    }
  }
  auto log = std::unique_ptr<SessionLog>(new SessionLog(std::move(store), std::move(recorder)));
  log->recorder_->write_harness(log->lanes_);
  return log;
}

SessionLog::SessionLog(std::unique_ptr<runs::RunStore> store,
                       std::unique_ptr<runs::RunRecorder> recorder)
    : store_(std::move(store)), recorder_(std::move(recorder)) {}

void SessionLog::turn_declared(const std::string& node) {
  attempt_ = 0;
  recorder_->emit("node.declared", node, {{"kind", "agent"}, {"optional", false}});
  recorder_->checkpoint();
}

void SessionLog::attempt_started(const std::string& node, const std::string& provider,
                                 const routing::CapabilityInjection& injection) {
  ++attempt_;
  recorder_->emit("node.started", node,
                  {{"attempt", attempt_}, {"provider", provider}, {"workspace", "."}});
  Json lane = injection.names_json();
  lane["kind"] = "agent";
  lane["tools"] = Json::array();
  lanes_[node] = lane;
  recorder_->write_harness(lanes_);
}

void SessionLog::turn_finished(const std::string& node, const routing::RoutedTurn& turn,
                               const Json& turn_document) {
  recorder_->decide(node, "route",
                    turn.route.decision.reason.empty() ? "routed" : turn.route.decision.reason,
                    routing::route_json(turn.route));
  std::filesystem::path lane = recorder_->lane_dir(node);
  runs::write_private_file(lane / "envelope.txt", turn.route.plan.envelope.text);
  runs::write_private_json(lane / "result.json", turn_document);
  // Earlier attempts (fallbacks) first, so the node ends in the last attempt's state.
  for (size_t i = 0; i < turn.attempts.size(); ++i) {
    const providers::TurnResult& attempt = turn.attempts[i];
    bool last = i + 1 == turn.attempts.size();
    routing::TurnOutcome outcome =
        last ? turn.outcome
             : (attempt.success ? routing::TurnOutcome::kSucceeded : routing::TurnOutcome::kFailed);
    Json data = {{"attempt", static_cast<int>(i) + 1},
                 {"state", std::string(runs::to_string(node_state(outcome)))},
                 {"outcome", attempt_outcome(outcome)},
                 {"exit_code", attempt.exit_code},
                 {"provider", attempt.provider},
                 {"duration_ms", attempt.duration_ms},
                 {"reason", last ? turn.message : attempt.message},
                 {"files_changed", attempt.files_changed}};
    recorder_->emit("node.finished", node, data);
  }
  if (turn.attempts.empty()) {
    recorder_->emit("node.state", node,
                    {{"state", std::string(runs::to_string(node_state(turn.outcome)))},
                     {"reason", turn.message}});
  }
  recorder_->checkpoint();
}

void SessionLog::turn_rejected(const std::string& node, const std::string& message, int exit_code) {
  recorder_->decide(node, "rejected", message, {{"exit_code", exit_code}});
  recorder_->emit(
      "node.state", node,
      {{"state", std::string(runs::to_string(runs::NodeState::kBlocked))}, {"reason", message}});
  recorder_->checkpoint();
}

void SessionLog::finish(runs::RunStatus status) {
  if (finished_) return;
  finished_ = true;
  recorder_->finish(status);
}

}  // namespace omk::repl
