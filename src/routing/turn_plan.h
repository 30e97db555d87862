#pragma once

#include <optional>
#include <string>

#include "routing/prompt_envelope.h"
#include "routing/risk.h"
#include "routing/turn_policy.h"

namespace omk::routing {

struct TurnInput {
  std::string user_text;
  std::string node_id;
  std::string role = "root-coordinator";
  std::string run_id;
  std::string provider;
  std::string model;
  Execution execution = Execution::kAsk;
  std::optional<Risk> override_risk;
  bool advisory_provider = false;
  EnvelopeLimit limit;
};

// A turn before it is routed: what the prompt asks for, what it may do, and the text the
// runtime will receive.
struct TurnPlan {
  RiskAssessment assessment;  // from the user's text alone
  TurnPolicy policy;
  PromptEnvelope envelope;
};

// risk → policy → envelope. The risk is read from `user_text` only, never from the envelope
// (whose header and contract mention writing, commands and failures): omk's scaffolding cannot
// change what a turn is. Throws PromptTooLong like build_envelope.
TurnPlan plan_turn(const TurnInput& input);

}  // namespace omk::routing
