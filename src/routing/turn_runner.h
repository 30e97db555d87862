#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/json_output.h"
#include "providers/health_check.h"
#include "providers/runner.h"
#include "routing/capability_injection.h"
#include "routing/evidence_history.h"
#include "routing/fallback.h"
#include "routing/router.h"
#include "routing/turn_plan.h"

namespace omk::routing {

// Everything a turn is routed against, gathered once per session (or per command).
struct TurnEnvironment {
  const providers::ProviderContext* context = nullptr;
  std::vector<providers::ProviderStatus> statuses;     // providers::check_providers
  const mcp::ToolPlaneInventory* inventory = nullptr;  // null: no MCP servers, skills or hooks
  mcp::ServerGrants grants;
  EvidenceHistory* history = nullptr;  // null: scores from priors only, nothing recorded
};

// What the user asked for and how.
struct TurnAsk {
  std::string user_text;
  std::string provider;  // "" / auto: the router chooses; authority|primary|omk or an id: preferred
  std::string model;     // with a named provider only ("" its configured default)
  std::optional<Execution> execution;  // unset: [runtime] execution
  std::optional<Risk> risk_override;   // --risk / /risk
  std::string run_id;
  std::string node_id = "turn-1";
  std::string node_role = "root-coordinator";
};

// A turn planned and routed, before anything runs (`omk route explain`).
struct RouteExplanation {
  TurnPlan plan;  // for the selected runtime (advisory narrowing applied)
  RouteDecision decision;
  std::optional<CapabilityInjection> injection;  // for the selected runtime
  Execution execution = Execution::kAsk;
  std::optional<std::string> preference;  // the provider the user's choice resolved to
};

RouteExplanation explain_route(const TurnEnvironment& environment, const TurnAsk& ask);

// omk.route.v1's body: risk, matched words, capabilities, sandbox, read_only, approval,
// provider, candidates[] (id, score, rejected_reason) and the injection.
Json route_json(const RouteExplanation& explanation);

// How to run it.
struct TurnRun {
  std::filesystem::path workspace;  // the project, or the turn's disposable worktree
  std::optional<sandbox::Profile> profile;
  std::optional<std::chrono::milliseconds> timeout;  // unset: [runtime] turn_timeout_ms
  const process::CancelToken* cancel = nullptr;
  std::filesystem::path run_dir;  // per-turn files; "" a private directory
  std::function<void(const providers::TurnEvent&)> on_event;
  // Asked when a provider cannot ask in headless mode (write-capable run under ask).
  std::function<bool(const providers::ApprovalRequest&)> approve;
  // Asked before a turn whose policy needs a person's yes (merge under ask). Unset: refused.
  std::function<bool(const TurnPolicy&)> approve_turn;
  // Called once the runtime is chosen, before its child starts (progress, the harness file).
  std::function<void(const std::string& provider, const CapabilityInjection&)> on_start;
  FallbackPolicy fallback;
};

struct RoutedTurn {
  RouteExplanation route;
  FallbackRun fallback;
  std::vector<providers::TurnResult> attempts;  // one per runtime tried, in order
  TurnOutcome outcome = TurnOutcome::kFailed;
  int exit_code = 1;    // 0 ok, 1 failed, 3 refused, 4 no provider, 124 timeout, 130 cancelled
  std::string message;  // one line for the user when it did not succeed

  const providers::TurnResult* last() const {
    return attempts.empty() ? nullptr : &attempts.back();
  }
};

// risk → policy → envelope → router → the provider's adapter in the sandbox, falling back in
// ranked order on failure (never after a write-capable attempt changed the workspace, never
// after a cancel or a refusal), every attempt recorded in the evidence history. A merge turn
// under ask runs only after approve_turn says yes; under never it is refused. Throws UserError
// for a provider choice that cannot be resolved (exit 2 unknown, exit 4 unhealthy) and for a
// prompt over the adapter's limit.
RoutedTurn run_routed_turn(const TurnEnvironment& environment, const TurnAsk& ask,
                           const TurnRun& run);

// omk.turn.v1's body.
Json turn_json(const RoutedTurn& turn);

}  // namespace omk::routing
