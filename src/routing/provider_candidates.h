#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "providers/health_check.h"
#include "routing/router.h"

namespace omk::routing {

// The router's view of each provider: healthy on all four answers (and enabled), its declared
// capabilities, a quality prior, and whether it is an advisory (API) runtime.
std::vector<Candidate> router_candidates(const std::vector<providers::ProviderStatus>& statuses);

// The prior the router starts from before any history: a fixed, documented table
// (docs/chat.md), higher for agent CLIs with their own tool loop than for chat APIs.
double quality_prior(std::string_view provider_id);

// The user's provider choice as a router preference. "" and "auto" let the router choose
// (nullopt); authority | primary | omk resolve through the provider policy (throws UserError
// exit 4 when the configured authority cannot serve `needs`); an id or alias names a provider
// (exit 2 for a name that is no provider).
std::optional<std::string> provider_preference(
    std::string_view choice, const CapabilitySet& needs,
    const std::vector<providers::ProviderStatus>& statuses, const Config& config);

}  // namespace omk::routing
