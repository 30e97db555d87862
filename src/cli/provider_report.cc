#include "cli/provider_report.h"

#include <fmt/format.h>

#include "core/error.h"

namespace omk::cli {
namespace {

std::string mark(const providers::Answer& answer, bool good_is_yes) {
  if (answer.status == providers::Status::kUnknown) return "?";
  return answer.is_yes() == good_is_yes ? "ok" : "NO";
}

}  // namespace

PolicyCheck check_configured_policy(const providers::ProviderContext& context,
                                    const std::vector<providers::ProviderStatus>& statuses,
                                    bool partial) {
  PolicyCheck check;
  check.policy = context.config.string("runtime.provider");
  if (partial) return check;
  check.checked = true;
  try {
    // The configured policy must be able to run a write turn: that is what `omk` is for.
    check.resolution = providers::resolve_policy(
        check.policy, providers::capabilities_for(providers::Risk::kWrite), statuses,
        context.config);
    check.resolved = true;
  } catch (const UserError& error) {
    check.error = error.what();
  }
  return check;
}

Json provider_document(const std::vector<providers::ProviderStatus>& statuses,
                       const providers::ProviderContext& context, const PolicyCheck* policy) {
  Json document = json_envelope("provider");
  document["root"] = context.root.string();
  Json list = Json::array();
  for (const auto& status : statuses) list.push_back(providers::to_json(status));
  document["providers"] = list;
  if (policy != nullptr && policy->checked) {
    Json json = Json::object();
    json["policy"] = policy->policy;
    json["resolved"] = policy->resolved;
    if (policy->resolved) {
      json["resolution"] = providers::to_json(policy->resolution);
    } else {
      json["error"] = policy->error;
    }
    document["policy"] = json;
  }
  return document;
}

std::string provider_table(const std::vector<providers::ProviderStatus>& statuses) {
  std::string text = fmt::format("{:<18} {:<4} {:<9} {}\n", "PROVIDER", "KIND", "HEALTHY",
                                 "FIRST PROBLEM / VERSION");
  for (const auto& status : statuses) {
    const auto& spec = status.adapter->spec();
    bool healthy = status.health.healthy() && status.settings.enabled;
    std::string detail =
        !status.settings.enabled ? "disabled in .omk/config.toml"
        : healthy ? (status.health.version.empty() ? status.health.model : status.health.version)
                  : status.health.problem();
    text += fmt::format("{:<18} {:<4} {:<9} {}\n", spec.id, providers::to_string(spec.kind),
                        healthy ? "yes" : "no", detail);
  }
  text += "Details: omk provider doctor [ID] (add --probe to ask the providers themselves).\n";
  return text;
}

std::string provider_details(const std::vector<providers::ProviderStatus>& statuses) {
  std::string text;
  for (const auto& status : statuses) {
    const auto& spec = status.adapter->spec();
    const auto& health = status.health;
    text += fmt::format("{} ({}, {}): {}\n", spec.id, spec.display_name,
                        providers::to_string(spec.kind),
                        !status.settings.enabled ? "disabled"
                        : health.healthy()       ? "healthy"
                                                 : "not healthy");
    text += fmt::format("  capabilities: {}\n", spec.capabilities.joined());
    text += fmt::format("  [{:>2}] available: {}\n", mark(health.available, true),
                        health.available.reason);
    text += fmt::format("  [{:>2}] authenticated: {}\n", mark(health.authenticated, true),
                        health.authenticated.reason);
    text += fmt::format("  [{:>2}] model supported: {}\n", mark(health.model_supported, true),
                        health.model_supported.reason);
    text += fmt::format("  [{:>2}] not rate-limited: {}\n", mark(health.rate_limited, false),
                        health.rate_limited.reason);
  }
  return text;
}

std::string policy_text(const PolicyCheck& policy) {
  if (!policy.checked) return "";
  if (policy.resolved) {
    return fmt::format("[runtime] provider = \"{}\" resolves to {} ({}).\n", policy.policy,
                       policy.resolution.provider, policy.resolution.how);
  }
  return fmt::format("[runtime] provider = \"{}\" does not resolve: {}\n", policy.policy,
                     policy.error);
}

}  // namespace omk::cli
