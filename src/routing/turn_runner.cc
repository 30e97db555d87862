#include "routing/turn_runner.h"

#include <algorithm>

#include <fmt/format.h>

#include "providers/adapter.h"
#include "providers/registry.h"
#include "routing/provider_candidates.h"

namespace omk::routing {
namespace {

Execution execution_of(const TurnEnvironment& environment, const TurnAsk& ask) {
  if (ask.execution) return *ask.execution;
  return parse_execution(environment.context->config.string("runtime.execution"))
      .value_or(Execution::kAsk);
}

bool is_api(const std::string& provider) {
  const providers::Adapter* adapter = providers::find_adapter(provider);
  return adapter && adapter->is_api();
}

TurnPlan plan_for(const TurnAsk& ask, Execution execution, const std::string& provider,
                  bool advisory) {
  TurnInput input;
  input.user_text = ask.user_text;
  input.node_id = ask.node_id;
  input.role = ask.node_role;
  input.run_id = ask.run_id;
  input.provider = provider;
  input.model = ask.model;
  input.execution = execution;
  input.override_risk = ask.risk_override;
  input.advisory_provider = advisory;
  input.limit.adapter = provider;
  return plan_turn(input);
}

CapabilityInjection injection_for(const TurnEnvironment& environment, const std::string& provider) {
  const providers::Adapter* adapter = providers::find_adapter(provider);
  if (!environment.inventory || !adapter) return {};
  return inject_capabilities(*environment.inventory, provider, adapter->spec().capabilities,
                             !adapter->spec().skills_dir.empty());
}

TurnOutcome outcome_of(const providers::TurnResult& result, const process::CancelToken* cancel) {
  if (result.success) return TurnOutcome::kSucceeded;
  if (result.exit_code == 130 || (cancel && cancel->cancelled())) return TurnOutcome::kCancelled;
  if (result.failure == providers::FailureCategory::kTimeout || result.exit_code == 124) {
    return TurnOutcome::kTimedOut;
  }
  if (result.failure == providers::FailureCategory::kRefusedByPolicy) return TurnOutcome::kRefused;
  return TurnOutcome::kFailed;
}

int exit_code_of(TurnOutcome outcome) {
  switch (outcome) {
    case TurnOutcome::kSucceeded:
      return 0;
    case TurnOutcome::kFailed:
      return 1;
    case TurnOutcome::kTimedOut:
      return 124;
    case TurnOutcome::kCancelled:
      return 130;
    case TurnOutcome::kRefused:
      return 3;
  }
  return 1;
}

RoutedTurn stopped(RoutedTurn turn, TurnOutcome outcome, int exit_code, std::string message) {
  turn.outcome = outcome;
  turn.exit_code = exit_code;
  turn.message = std::move(message);
  return turn;
}

}  // namespace

RouteExplanation explain_route(const TurnEnvironment& environment, const TurnAsk& ask) {
  RouteExplanation out;
  out.execution = execution_of(environment, ask);
  TurnPlan base = plan_for(ask, out.execution, "", false);
  const Config& config = environment.context->config;
  std::string choice = ask.provider.empty() ? config.string("runtime.provider") : ask.provider;
  out.preference =
      provider_preference(choice, base.policy.capabilities, environment.statuses, config);
  RouteRequest request{base.policy.risk, base.policy.capabilities, out.preference};
  out.decision = route(request, router_candidates(environment.statuses), environment.history);
  if (!out.decision.selected) {
    out.plan = std::move(base);
    return out;
  }
  const std::string& selected = *out.decision.selected;
  out.plan =
      plan_for(ask, out.execution, selected, out.decision.advisory_downgrade || is_api(selected));
  out.injection = injection_for(environment, selected);
  return out;
}

Json route_json(const RouteExplanation& explanation) {
  const TurnPolicy& policy = explanation.plan.policy;
  Json out = Json::object();
  out["risk"] = std::string(to_string(policy.risk));
  out["inferred_risk"] = std::string(to_string(policy.inferred));
  out["risk_override"] =
      policy.override_risk ? Json(std::string(to_string(*policy.override_risk))) : Json(nullptr);
  Json matches = Json::array();
  for (const RiskMatch& match : explanation.plan.assessment.matches) {
    matches.push_back({{"word", match.word},
                       {"risk", std::string(to_string(match.risk))},
                       {"negated", match.negated}});
  }
  out["matches"] = std::move(matches);
  out["read_only_requested"] = explanation.plan.assessment.read_only_requested;
  out["capabilities"] = policy.capabilities.names();
  out["sandbox"] = std::string(sandbox::to_string(policy.sandbox));
  out["read_only"] = policy.read_only;
  out["execution"] = std::string(to_string(explanation.execution));
  out["approval"] = std::string(to_string(policy.approval));
  out["provider"] =
      explanation.decision.selected ? Json(*explanation.decision.selected) : Json(nullptr);
  out["preferred"] = explanation.preference ? Json(*explanation.preference) : Json(nullptr);
  out["advisory"] = policy.advisory;
  out["reason"] = explanation.decision.reason;
  out["fallback_order"] = explanation.decision.fallback_order;
  Json candidates = Json::array();
  for (const CandidateScore& candidate : explanation.decision.candidates) {
    Json entry = Json::object();
    entry["id"] = candidate.id;
    entry["eligible"] = candidate.eligible;
    entry["score"] = candidate.eligible ? Json(candidate.score) : Json(nullptr);
    entry["rejected_reason"] = candidate.eligible ? Json(nullptr) : Json(candidate.rejected_reason);
    entry["quality"] = candidate.quality;
    entry["pass_rate"] = candidate.pass_rate;
    entry["risk_pass_rate"] = candidate.risk_pass_rate;
    entry["failure_penalty"] = candidate.failure_penalty;
    entry["history_turns"] = candidate.history_turns;
    candidates.push_back(std::move(entry));
  }
  out["candidates"] = std::move(candidates);
  out["injection"] = explanation.injection ? to_json(*explanation.injection) : Json(nullptr);
  out["envelope_chars"] = explanation.plan.envelope.payload_chars;
  return out;
}

RoutedTurn run_routed_turn(const TurnEnvironment& environment, const TurnAsk& ask,
                           const TurnRun& run) {
  RoutedTurn turn;
  turn.route = explain_route(environment, ask);
  const RouteDecision& decision = turn.route.decision;
  const TurnPolicy& policy = turn.route.plan.policy;
  if (policy.approval == Approval::kRefused) {
    return stopped(std::move(turn), TurnOutcome::kRefused, 3,
                   fmt::format("refused: a {} turn needs a person's approval and --execution is "
                               "never ({})",
                               to_string(policy.risk), policy.reason));
  }
  if (!decision.selected) {
    return stopped(std::move(turn), TurnOutcome::kRefused, 4,
                   fmt::format("no runtime can take this turn: {} (see `omk provider doctor`)",
                               decision.reason));
  }
  // Runtimes whose required MCP servers cannot be given are not tried; the selected one being
  // among them stops the turn.
  std::vector<std::string> order;
  for (const std::string& runtime : decision.fallback_order) {
    CapabilityInjection injection = injection_for(environment, runtime);
    if (!injection.blocked) {
      order.push_back(runtime);
    } else if (runtime == *decision.selected) {
      return stopped(std::move(turn), TurnOutcome::kRefused, 3, *injection.blocked);
    }
  }
  if (policy.approval == Approval::kAskHuman && (!run.approve_turn || !run.approve_turn(policy))) {
    return stopped(std::move(turn), TurnOutcome::kRefused, 3,
                   run.approve_turn ? "the turn was not approved"
                                    : "this turn needs a person's approval under --execution ask "
                                      "and there is no terminal to ask (use --execution auto to "
                                      "let policy decide)");
  }

  FallbackOptions options;
  options.workspace = run.workspace;
  options.risk = policy.risk;
  options.write_capable = policy.capabilities.write_capable() && !policy.read_only;
  options.policy = run.fallback;
  options.history = environment.history;
  options.run_id = ask.run_id;
  options.node_id = ask.node_id;
  providers::ToolPlane tools{environment.inventory, environment.grants};
  auto attempt = [&](const std::string& runtime) -> AttemptResult {
    if (run.cancel && run.cancel->cancelled()) {
      return {TurnOutcome::kCancelled, EvidenceResult::kNone, 130, "cancelled before it started"};
    }
    bool advisory =
        is_api(runtime) || (runtime == *decision.selected && decision.advisory_downgrade);
    TurnPlan plan = plan_for(ask, turn.route.execution, runtime, advisory);
    CapabilityInjection injection = injection_for(environment, runtime);
    if (run.on_start) run.on_start(runtime, injection);
    providers::TurnRequest request;
    request.provider = runtime;
    request.prompt = plan.envelope.text;
    request.workspace = run.workspace;
    request.risk = plan.policy.advisory ? Risk::kRead : plan.policy.risk;
    request.execution = turn.route.execution;
    request.profile =
        plan.policy.read_only ? std::optional(sandbox::Profile::kReadOnly) : run.profile;
    request.model = (turn.route.preference && runtime == *turn.route.preference) ? ask.model : "";
    request.timeout = run.timeout;
    request.cancel = run.cancel;
    request.mcp_servers = injection.mcp_servers;
    request.skills = !injection.skills.empty();
    request.run_dir = run.run_dir;
    request.run_id = ask.run_id;
    request.node_id = ask.node_id;
    request.node_role = ask.node_role;
    request.on_event = run.on_event;
    request.approve = run.approve;
    providers::TurnResult result = providers::run_turn(*environment.context, request, tools);
    AttemptResult outcome;
    outcome.outcome = outcome_of(result, run.cancel);
    outcome.exit_code = result.exit_code;
    outcome.summary = result.success ? "succeeded" : result.message;
    turn.attempts.push_back(std::move(result));
    return outcome;
  };
  turn.fallback = run_with_fallback(order, options, attempt);
  if (turn.fallback.succeeded) {
    turn.outcome = TurnOutcome::kSucceeded;
    turn.exit_code = 0;
    return turn;
  }
  const AttemptTrace* last =
      turn.fallback.attempts.empty() ? nullptr : &turn.fallback.attempts.back();
  turn.outcome = last ? last->result.outcome : TurnOutcome::kFailed;
  turn.exit_code = exit_code_of(turn.outcome);
  turn.message = last && turn.fallback.attempts.size() == 1 && !turn.fallback.stopped_on_change
                     ? last->result.summary
                     : turn.fallback.reason;
  return turn;
}

Json turn_json(const RoutedTurn& turn) {
  Json out = Json::object();
  out["outcome"] = std::string(to_string(turn.outcome));
  out["exit_code"] = turn.exit_code;
  out["message"] = turn.message;
  out["route"] = route_json(turn.route);
  Json attempts = Json::array();
  for (size_t i = 0; i < turn.attempts.size(); ++i) {
    Json entry = providers::to_json(turn.attempts[i]);
    if (i < turn.fallback.attempts.size()) {
      const AttemptTrace& trace = turn.fallback.attempts[i];
      entry["next"] = std::string(to_string(trace.next));
      entry["note"] = trace.note;
      if (trace.change) entry["workspace_changed_paths"] = trace.change->paths;
    }
    attempts.push_back(std::move(entry));
  }
  out["attempts"] = std::move(attempts);
  out["stopped_on_change"] = turn.fallback.stopped_on_change;
  const providers::TurnResult* last = turn.last();
  out["final_message"] = last ? Json(last->final_message) : Json(nullptr);
  return out;
}

}  // namespace omk::routing
