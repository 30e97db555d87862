#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "providers/turn.h"
#include "routing/capability.h"
#include "routing/risk.h"
#include "sandbox/profile.h"

namespace omk::routing {

// --execution: ask a person before risky steps, allow what policy allows, or refuse anything
// that would need approval: providers::Execution, which every adapter maps to its own flags.
using providers::Execution;
using providers::parse_execution;
using providers::to_string;

// Whether omk itself must stop the turn for a person before it runs.
enum class Approval {
  kNotNeeded,  // the turn may run (the adapter still gets --execution as its own flags)
  kAskHuman,   // ask y/N first (merge under ask)
  kRefused,    // never runs under this execution mode (merge under never)
};
std::string_view to_string(Approval approval);

struct TurnPolicyInput {
  Risk inferred = Risk::kRead;        // classify_risk(prompt).risk
  std::optional<Risk> override_risk;  // /risk LEVEL or --risk LEVEL, raising or lowering it
  Execution execution = Execution::kAsk;
  bool advisory_provider = false;  // an API/advisory provider runs this turn
};

// What a turn may do (DESIGN promise 3): read → [read] in a read-only sandbox; write →
// [write, patch] in workspace-write; shell → [write, patch, shell]; merge → [write, patch,
// shell, merge], and the merge needs a person's yes under ask. API/advisory providers get
// [read, review] read-only whatever the risk.
struct TurnPolicy {
  Risk risk = Risk::kRead;  // the effective risk (the override when one was given)
  Risk inferred = Risk::kRead;
  std::optional<Risk> override_risk;  // recorded so the trace shows who decided
  CapabilitySet capabilities;
  sandbox::Profile sandbox = sandbox::Profile::kReadOnly;
  bool read_only = true;
  Execution execution = Execution::kAsk;
  Approval approval = Approval::kNotNeeded;
  bool advisory = false;  // narrowed to [read, review] because the provider is advisory
  std::string reason;     // one line for route explanations
};

TurnPolicy turn_policy(const TurnPolicyInput& input);

// The capabilities a risk needs from a runtime that is not advisory.
CapabilitySet turn_capabilities(Risk risk);

}  // namespace omk::routing
