#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/json_output.h"
#include "routing/capability_injection.h"
#include "routing/turn_runner.h"
#include "runs/run_recorder.h"
#include "runs/run_store.h"

namespace omk::repl {

// A chat session as a run in the store (.omk/runs/<id>/), so `omk runs` and `omk inspect` show
// it: one run per session, one coordinator node per turn (`turn-N`), the route of each turn in
// decisions.jsonl, the names each turn's child was given in harness.json, and the turn's prompt
// envelope and result under lanes/turn-N/. Everything passes through the redactor on its way
// to disk (the recorder's writers).
class SessionLog {
 public:
  // Creates the run; `manifest` holds the session's settings (provider, execution, ...).
  static std::unique_ptr<SessionLog> start(const std::filesystem::path& project_root,
                                           const Json& manifest);

  const std::string& run_id() const { return recorder_->run_id(); }
  const std::filesystem::path& dir() const { return recorder_->dir(); }

  void turn_declared(const std::string& node);
  // Called from TurnRun::on_start: each attempt of the turn (a fallback is a second attempt).
  void attempt_started(const std::string& node, const std::string& provider,
                       const routing::CapabilityInjection& injection);
  void turn_finished(const std::string& node, const routing::RoutedTurn& turn,
                     const Json& turn_document);
  // A turn that could not start (an unknown provider, a prompt over the adapter's limit).
  void turn_rejected(const std::string& node, const std::string& message, int exit_code);
  void finish(runs::RunStatus status);

 private:
  SessionLog(std::unique_ptr<runs::RunStore> store, std::unique_ptr<runs::RunRecorder> recorder);

  std::unique_ptr<runs::RunStore> store_;
  std::unique_ptr<runs::RunRecorder> recorder_;
  Json lanes_ = Json::object();
  int attempt_ = 0;
  bool finished_ = false;
};

}  // namespace omk::repl
