#include "routing/turn_plan.h"

namespace omk::routing {

TurnPlan plan_turn(const TurnInput& input) {
  TurnPlan plan;
  plan.assessment = classify_risk(input.user_text);
  plan.policy = turn_policy(
      {plan.assessment.risk, input.override_risk, input.execution, input.advisory_provider});
  EnvelopeHeader header;
  header.role = input.role;
  header.node_id = input.node_id;
  header.run_id = input.run_id;
  header.provider = input.provider;
  header.model = input.model;
  header.risk = plan.policy.risk;
  header.approval = plan.policy.execution;
  header.sandbox = plan.policy.sandbox;
  header.capabilities = plan.policy.capabilities;
  plan.envelope = build_envelope(header, input.user_text, input.limit);
  return plan;
}

}  // namespace omk::routing
