#include "routing/router.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace omk::routing {
namespace {

constexpr double kPenaltyPerFailure = 0.06;
constexpr double kMaxPenalty = 0.3;
constexpr int kPenaltyWindow = 10;

double smoothed(const RuntimeStats& stats) {
  return (stats.passed + 1.0) / (stats.turns + 2.0);
}

double rounded(double value) {
  return std::round(value * 10000.0) / 10000.0;
}

void score(CandidateScore& s, const Candidate& c, Risk risk, const EvidenceHistory* history) {
  s.quality = std::clamp(c.quality_prior, 0.0, 1.0);
  RuntimeStats all, same_risk;
  int failures = 0;
  if (history) {
    all = history->stats(c.id);
    same_risk = history->stats(c.id, risk);
    failures = history->recent_failures(c.id, kPenaltyWindow);
  }
  s.history_turns = all.turns;
  s.pass_rate = smoothed(all);
  s.risk_pass_rate = smoothed(same_risk);
  s.failure_penalty = std::min(kMaxPenalty, kPenaltyPerFailure * failures);
  s.score =
      rounded(0.35 * s.quality + 0.35 * s.pass_rate + 0.30 * s.risk_pass_rate - s.failure_penalty);
}

std::string rejection(const Candidate& c, const RouteRequest& request, bool preferred) {
  if (request.preferred && !preferred) {
    return fmt::format("not the requested provider ({})", *request.preferred);
  }
  if (!c.healthy) {
    return c.health_problem.empty() ? std::string("not healthy")
                                    : "not healthy: " + c.health_problem;
  }
  if (c.advisory && preferred) return {};  // runs as advisory, see advisory_downgrade
  if (c.advisory && request.needs.write_capable()) {
    return fmt::format("advisory runtime: read and review only, the turn needs {}",
                       request.needs.joined());
  }
  CapabilitySet missing = c.capabilities.missing_from(request.needs);
  if (!missing.empty()) return "lacks " + missing.joined();
  return {};
}

}  // namespace

RouteDecision route(const RouteRequest& request, const std::vector<Candidate>& candidates,
                    const EvidenceHistory* history) {
  RouteDecision decision;
  decision.risk = request.risk;
  decision.preferred = request.preferred;
  for (const Candidate& c : candidates) {
    CandidateScore s;
    s.id = c.id;
    bool preferred = request.preferred && *request.preferred == c.id;
    s.rejected_reason = rejection(c, request, preferred);
    s.eligible = s.rejected_reason.empty();
    if (s.eligible) {
      score(s, c, request.risk, history);
      s.advisory_downgrade = c.advisory && !c.capabilities.contains(request.needs);
    }
    decision.candidates.push_back(std::move(s));
  }
  std::stable_sort(decision.candidates.begin(), decision.candidates.end(),
                   [](const CandidateScore& a, const CandidateScore& b) {
                     if (a.eligible != b.eligible) return a.eligible;
                     if (a.eligible && a.score != b.score) return a.score > b.score;
                     return a.id < b.id;
                   });
  for (const CandidateScore& s : decision.candidates) {
    if (s.eligible) decision.fallback_order.push_back(s.id);
  }
  if (decision.fallback_order.empty()) {
    if (request.preferred) {
      bool known = std::any_of(candidates.begin(), candidates.end(),
                               [&](const Candidate& c) { return c.id == *request.preferred; });
      if (!known) {
        decision.reason = fmt::format("the requested provider {} is not configured or detected",
                                      *request.preferred);
        return decision;
      }
      // Known but rejected: say why, and that nothing else is tried in its place.
      for (const CandidateScore& s : decision.candidates) {
        if (s.id != *request.preferred) continue;
        decision.reason = fmt::format(
            "the requested provider {} cannot take this {} turn: {} (no other runtime is tried "
            "in its place; choose another with --provider, or auto)",
            s.id, to_string(request.risk), s.rejected_reason);
        return decision;
      }
    }
    decision.reason =
        candidates.empty()
            ? "no runtime is configured or detected"
            : fmt::format("no runtime can take a {} turn (needs {})", to_string(request.risk),
                          request.needs.empty() ? "nothing" : request.needs.joined());
    return decision;
  }
  const CandidateScore& best = decision.candidates.front();
  decision.selected = best.id;
  decision.advisory_downgrade = best.advisory_downgrade;
  decision.reason = fmt::format(
      "{}{}: score {:.4f} (quality {:.2f}, pass rate {:.2f}, {} pass rate {:.2f}, "
      "penalty {:.2f}, {} recorded turns)",
      best.id, request.preferred ? " (requested)" : "", best.score, best.quality, best.pass_rate,
      to_string(request.risk), best.risk_pass_rate, best.failure_penalty, best.history_turns);
  if (best.advisory_downgrade) decision.reason += "; advisory: runs read-only with read, review";
  return decision;
}

Json to_json(const RouteDecision& decision) {
  Json out = Json::object();
  out["risk"] = std::string(to_string(decision.risk));
  out["preferred"] = decision.preferred ? Json(*decision.preferred) : Json(nullptr);
  out["selected"] = decision.selected ? Json(*decision.selected) : Json(nullptr);
  out["advisory"] = decision.advisory_downgrade;
  out["fallback_order"] = decision.fallback_order;
  out["reason"] = decision.reason;
  Json list = Json::array();
  for (const CandidateScore& s : decision.candidates) {
    Json c = Json::object();
    c["id"] = s.id;
    c["eligible"] = s.eligible;
    c["score"] = s.eligible ? Json(s.score) : Json(nullptr);
    c["rejected_reason"] = s.eligible ? Json(nullptr) : Json(s.rejected_reason);
    if (s.eligible) {
      c["quality"] = rounded(s.quality);
      c["pass_rate"] = rounded(s.pass_rate);
      c["risk_pass_rate"] = rounded(s.risk_pass_rate);
      c["failure_penalty"] = rounded(s.failure_penalty);
      c["history_turns"] = s.history_turns;
    }
    list.push_back(std::move(c));
  }
  out["candidates"] = std::move(list);
  return out;
}

}  // namespace omk::routing
