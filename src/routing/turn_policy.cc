#include "routing/turn_policy.h"

#include <fmt/format.h>

namespace omk::routing {

std::string_view to_string(Approval approval) {
  switch (approval) {
    case Approval::kNotNeeded:
      return "not-needed";
    case Approval::kAskHuman:
      return "ask";
    case Approval::kRefused:
      return "refused";
  }
  return "refused";
}

CapabilitySet capabilities_for(Risk risk) {
  switch (risk) {
    case Risk::kRead:
      return {Capability::kRead};
    case Risk::kWrite:
      return {Capability::kWrite, Capability::kPatch};
    case Risk::kShell:
      return {Capability::kWrite, Capability::kPatch, Capability::kShell};
    case Risk::kMerge:
      return {Capability::kWrite, Capability::kPatch, Capability::kShell, Capability::kMerge};
  }
  return {Capability::kRead};
}

TurnPolicy turn_policy(const TurnPolicyInput& input) {
  TurnPolicy policy;
  policy.inferred = input.inferred;
  policy.override_risk = input.override_risk;
  policy.risk = input.override_risk.value_or(input.inferred);
  policy.execution = input.execution;
  std::string source =
      input.override_risk ? fmt::format("risk {} set explicitly (inferred {})",
                                        to_string(policy.risk), to_string(input.inferred))
                          : fmt::format("risk {} inferred from the prompt", to_string(policy.risk));
  if (input.advisory_provider) {
    // An API provider only advises: omk keeps write, shell and merge authority.
    policy.advisory = true;
    policy.capabilities = {Capability::kRead, Capability::kReview};
    policy.sandbox = sandbox::Profile::kReadOnly;
    policy.read_only = true;
    policy.reason = source + "; advisory provider: read and review only, read-only sandbox";
    return policy;
  }
  policy.capabilities = routing::capabilities_for(policy.risk);  // not ADL's providers::
  policy.read_only = policy.risk == Risk::kRead;
  policy.sandbox =
      policy.read_only ? sandbox::Profile::kReadOnly : sandbox::Profile::kWorkspaceWrite;
  if (policy.risk == Risk::kMerge) {
    if (input.execution == Execution::kAsk) policy.approval = Approval::kAskHuman;
    if (input.execution == Execution::kNever) policy.approval = Approval::kRefused;
  }
  policy.reason = fmt::format("{}; capabilities [{}], {} sandbox", source,
                              policy.capabilities.joined(), sandbox::to_string(policy.sandbox));
  if (policy.approval == Approval::kAskHuman) policy.reason += "; the merge needs approval (ask)";
  if (policy.approval == Approval::kRefused) policy.reason += "; merge refused under never";
  return policy;
}

}  // namespace omk::routing
