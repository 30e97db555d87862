#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "core/config.h"
#include "core/environment.h"
#include "dag/lane_work.h"
#include "routing/turn_runner.h"

namespace omk::dag {

struct AgentRuntimeOptions {
  std::filesystem::path project_root;
  Config config;
  EnvMap env;                  // omk's own environment (credentials, HOME, PATH)
  std::string execution;       // --execution: ask, auto or never; "" [runtime] execution
  std::string provider;        // --provider: replaces `auto` on agent lanes ("" none)
  bool record_history = true;  // .omk/history.db
};

// Agent lanes through the routing layer: each attempt is one routed turn (risk → policy →
// envelope → router → the provider's adapter in the lane's sandbox and workspace, with
// fallback). Writes lanes/<node>/envelope.txt and turn.json, appends the route to
// decisions.jsonl, fills the lane's harness.json entry (names only), streams the agent's events
// into the lane's stdout.log, and reads a reviewing lane's verdict from its final message.
// Lanes have no terminal: nothing is ever asked, so under --execution ask a write-capable lane
// on a CLI that cannot ask headless is unavailable (use --execution auto).
class RoutedAgentRuntime final : public AgentRuntime {
 public:
  explicit RoutedAgentRuntime(AgentRuntimeOptions options);
  ~RoutedAgentRuntime() override;

  std::optional<std::string> unavailable(const NodeSpec& node) const override;
  void begin_run(const AgentRunContext& run) override;
  AttemptResult run(const AttemptRequest& request, const std::string& workspace) override;
  void attempt_finished(const AttemptRequest& request, const AttemptResult& result) override;

  // The environment turns are routed against (built on first use: provider health, the tool
  // plane, the evidence history).
  const routing::TurnEnvironment& environment() const;
  // How a lane's turn is asked for (provider, risk, role, ids).
  routing::TurnAsk ask_for(const NodeSpec& node) const;

 private:
  struct Environment;
  std::string prompt_for(const NodeSpec& node) const;
  std::string changes_to_review(const NodeSpec& node) const;

  AgentRuntimeOptions options_;
  mutable std::once_flag built_;
  mutable std::unique_ptr<Environment> environment_;
  AgentRunContext run_;
  std::set<std::string> reviewers_;  // lanes some review gate names
  std::mutex mutex_;
  std::map<std::string, std::string> ran_on_;  // node → the runtime whose turn succeeded
};

}  // namespace omk::dag
