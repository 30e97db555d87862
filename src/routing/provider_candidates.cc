#include "routing/provider_candidates.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/exit_codes.h"
#include "providers/adapter.h"
#include "providers/policy.h"
#include "providers/registry.h"

namespace omk::routing {

double quality_prior(std::string_view provider_id) {
  // Agent CLIs that plan, edit and test in their own loop start above chat-only APIs; history
  // (pass rates, recent failures) moves every runtime from here.
  if (provider_id == "codex" || provider_id == "claude") return 0.8;
  if (provider_id == "gemini" || provider_id == "kimi" || provider_id == "qwen") return 0.7;
  if (provider_id == "opencode") return 0.65;
  return 0.5;
}

std::vector<Candidate> router_candidates(const std::vector<providers::ProviderStatus>& statuses) {
  std::vector<Candidate> out;
  for (const providers::ProviderStatus& status : statuses) {
    const providers::Adapter& adapter = *status.adapter;
    Candidate candidate;
    candidate.id = adapter.id();
    candidate.capabilities = adapter.spec().capabilities;
    candidate.advisory = adapter.is_api();
    candidate.quality_prior = quality_prior(adapter.id());
    if (!status.settings.enabled) {
      candidate.healthy = false;
      candidate.health_problem =
          fmt::format("disabled ([providers.{}] enabled = false)", adapter.id());
    } else if (!status.health.healthy()) {
      candidate.healthy = false;
      candidate.health_problem = status.health.problem();
    }
    out.push_back(std::move(candidate));
  }
  return out;
}

std::optional<std::string> provider_preference(
    std::string_view choice, const CapabilitySet& needs,
    const std::vector<providers::ProviderStatus>& statuses, const Config& config) {
  if (choice.empty() || choice == "auto") return std::nullopt;
  if (choice == "authority" || choice == "primary" || choice == "omk") {
    return providers::resolve_policy(choice, needs, statuses, config).provider;
  }
  const providers::Adapter* adapter = providers::find_adapter(choice);
  if (!adapter) {
    throw UserError(ExitCode::kUsage,
                    fmt::format("unknown provider \"{}\"; use auto, authority or one of: {}",
                                choice, providers::known_provider_ids()));
  }
  return adapter->id();
}

}  // namespace omk::routing
