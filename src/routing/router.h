#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json_output.h"
#include "routing/capability.h"
#include "routing/evidence_history.h"
#include "routing/risk.h"

namespace omk::routing {

// A runtime as the router sees it; the providers layer fills these from its registry and
// health checks.
struct Candidate {
  std::string id;
  bool healthy = true;
  std::string health_problem;  // why not, when !healthy ("not authenticated: run codex login")
  CapabilitySet capabilities;
  double quality_prior = 0.5;  // 0..1, the registry's prior for this runtime
  bool advisory = false;       // an API/advisory runtime: read and review only
};

struct RouteRequest {
  Risk risk = Risk::kRead;
  CapabilitySet needs;                   // turn_policy(...).capabilities
  std::optional<std::string> preferred;  // the user's --provider / /provider; unset: auto
};

struct CandidateScore {
  std::string id;
  bool eligible = false;
  std::string rejected_reason;  // empty when eligible
  double score = 0;             // eligible candidates only
  double quality = 0;
  double pass_rate = 0;       // all risks, smoothed
  double risk_pass_rate = 0;  // this risk, smoothed
  double failure_penalty = 0;
  int history_turns = 0;
  bool advisory_downgrade = false;  // chosen by preference; runs read-only with [read, review]
};

// Algorithm 5's decision and its trace: every candidate with its score or why it was rejected.
struct RouteDecision {
  Risk risk = Risk::kRead;
  std::optional<std::string> preferred;
  std::optional<std::string> selected;
  std::vector<std::string> fallback_order;  // selected first; what the runner may try in turn
  std::vector<CandidateScore> candidates;   // ranked: eligible by score, then the rejected
  std::string reason;                       // one line: why this one, or why none
  bool advisory_downgrade = false;          // the selected runtime runs as advisory
};

// score = 0.35·quality + 0.35·pass_rate + 0.30·risk_pass_rate − failure_penalty, where pass
// rates are (passed + 1) / (turns + 2) from the history (0.5 with none) and the penalty is
// 0.06 per failure among the runtime's last 10 turns, at most 0.3. Ties go to the id.
//
// Eligible: healthy and has every capability the turn needs. With a preference, only the
// preferred runtime is considered (a preference is never silently replaced); an advisory
// runtime the user prefers is accepted for any risk and runs read-only (advisory_downgrade).
RouteDecision route(const RouteRequest& request, const std::vector<Candidate>& candidates,
                    const EvidenceHistory* history);

// The trace as JSON: risk, preferred, selected, fallback_order, reason, candidates[] with id,
// eligible, score, rejected_reason and the score's parts.
Json to_json(const RouteDecision& decision);

}  // namespace omk::routing
