#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/json_output.h"
#include "providers/capabilities.h"
#include "providers/health_check.h"

namespace omk::providers {

// Why each provider was or was not chosen.
struct Candidate {
  std::string id;
  bool accepted = false;
  std::string reason;
};

// A provider policy resolved to one concrete provider that is healthy on all four answers and
// can do what the task needs.
struct Resolution {
  std::string provider;
  std::string policy;  // as given (normalised): auto, authority, codex, ...
  std::string how;     // "the configured authority (OMK_AUTHORITY_PROVIDER)", ...
  std::vector<Candidate> candidates;
};

// Resolves `policy` (auto | authority | primary | omk | an id or alias; empty means auto) for a
// task needing `needs`:
//  - authority/primary/omk: OMK_AUTHORITY_PROVIDER, then [runtime] authority (the same config key;
//    the variable wins; "auto" means not set), else the first healthy write-capable CLI in
//    authority_order();
//  - auto: the configured authority when it qualifies, else the first provider in the registry's
//    order that qualifies;
//  - an id: that provider.
// A configured or named provider that does not qualify is an error, never silently replaced.
// Throws UserError: exit 4 listing each candidate and why it was rejected; exit 2 for a name
// that is no provider.
Resolution resolve_policy(std::string_view policy, const CapabilitySet& needs,
                          const std::vector<ProviderStatus>& statuses, const Config& config);

// Why `status` cannot serve `needs` ("" when it can).
std::string rejection(const ProviderStatus& status, const CapabilitySet& needs);

Json to_json(const Resolution& resolution);

}  // namespace omk::providers
