#include "providers/policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/error.h"
#include "providers/registry.h"

namespace omk::providers {
namespace {

std::string lowered(std::string_view text) {
  size_t start = text.find_first_not_of(" \t");
  size_t end = text.find_last_not_of(" \t");
  std::string out = start == std::string_view::npos
                        ? std::string()
                        : std::string(text.substr(start, end - start + 1));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_authority_name(const std::string& name) {
  return name == "authority" || name == "primary" || name == "omk";
}

const ProviderStatus* status_of(const std::vector<ProviderStatus>& statuses,
                                const std::string& id) {
  for (const ProviderStatus& status : statuses) {
    if (status.adapter->id() == id) return &status;
  }
  return nullptr;
}

Candidate judge(const ProviderStatus& status, const CapabilitySet& needs) {
  std::string why = rejection(status, needs);
  if (!why.empty()) return {status.adapter->id(), false, why};
  return {status.adapter->id(), true,
          fmt::format("healthy, and can do what the task needs ({})", needs.joined())};
}

[[noreturn]] void fail(const std::string& headline, const std::vector<Candidate>& candidates) {
  std::string message = headline;
  for (const Candidate& candidate : candidates) {
    message += fmt::format("\n  {}: {}", candidate.id, candidate.reason);
  }
  message += "\nSee `omk provider doctor` for each provider's health.";
  throw UserError(ExitCode::kNoProvider, message);
}

std::string needs_text(const CapabilitySet& needs) {
  return needs.empty() ? "" : fmt::format(" (the task needs {})", needs.joined());
}

}  // namespace

std::string rejection(const ProviderStatus& status, const CapabilitySet& needs) {
  const Adapter& adapter = *status.adapter;
  if (!status.settings.enabled) {
    return fmt::format("disabled ([providers.{}] enabled = false)", adapter.id());
  }
  CapabilitySet missing = adapter.spec().capabilities.missing_from(needs);
  if (!missing.empty()) {
    if (adapter.is_api()) {
      return fmt::format("read/review/advisory only: it cannot {}", missing.joined());
    }
    return fmt::format("cannot {}", missing.joined());
  }
  return status.health.problem();
}

Resolution resolve_policy(std::string_view policy_text, const CapabilitySet& needs,
                          const std::vector<ProviderStatus>& statuses, const Config& config) {
  Resolution resolution;
  std::string policy = lowered(policy_text);
  if (policy.empty()) policy = "auto";
  resolution.policy = policy;

  const std::string& authority_setting = config.string("runtime.authority");
  std::string authority_source = config.source("runtime.authority") == ValueSource::kEnv
                                     ? "OMK_AUTHORITY_PROVIDER"
                                     : "[runtime] authority";
  const Adapter* authority = nullptr;
  if (!lowered(authority_setting).empty() && lowered(authority_setting) != "auto") {
    authority = find_adapter(authority_setting);
    if (authority == nullptr && (policy == "auto" || is_authority_name(policy))) {
      throw usage_error(fmt::format("{} names '{}', which is no provider; known providers: {}",
                                    authority_source, authority_setting, known_provider_ids()));
    }
  }

  auto resolve_one = [&](const Adapter& adapter, const std::string& how,
                         const std::string& headline) {
    const ProviderStatus* status = status_of(statuses, adapter.id());
    if (status == nullptr) {
      fail(headline, {{adapter.id(), false, "its health was not checked"}});
    }
    Candidate candidate = judge(*status, needs);
    resolution.candidates.push_back(candidate);
    if (!candidate.accepted) fail(headline, resolution.candidates);
    resolution.provider = adapter.id();
    resolution.how = how;
  };

  auto first_of = [&](const std::vector<std::string>& order, const CapabilitySet& wanted,
                      const std::string& how, const std::string& headline) {
    for (const std::string& id : order) {
      const ProviderStatus* status = status_of(statuses, id);
      if (status == nullptr) continue;
      Candidate candidate = judge(*status, wanted);
      resolution.candidates.push_back(candidate);
      if (candidate.accepted && resolution.provider.empty()) {
        resolution.provider = id;
        resolution.how = how;
      }
    }
    if (resolution.provider.empty()) fail(headline, resolution.candidates);
  };

  if (is_authority_name(policy)) {
    if (authority != nullptr) {
      resolve_one(*authority, fmt::format("the configured authority ({})", authority_source),
                  fmt::format("no healthy provider for '{}'{}: {} names {}, which cannot run it:",
                              policy, needs_text(needs), authority_source, authority->id()));
    } else {
      CapabilitySet authority_needs = needs;
      authority_needs.add(Capability::kWrite);  // the authority is a write-capable CLI
      first_of(authority_order(), authority_needs,
               "the first healthy write-capable CLI (no authority configured)",
               fmt::format("no healthy write-capable CLI for '{}'{}; candidates:", policy,
                           needs_text(needs)));
    }
    return resolution;
  }

  if (policy == "auto") {
    std::vector<std::string> order;
    if (authority != nullptr) order.push_back(authority->id());
    for (const Adapter* adapter : adapters()) {
      if (std::find(order.begin(), order.end(), adapter->id()) == order.end()) {
        order.push_back(adapter->id());
      }
    }
    first_of(order, needs,
             authority != nullptr ? "auto: the configured authority, then the registry order"
                                  : "auto: the first healthy provider in the registry order",
             fmt::format("no healthy provider for 'auto'{}; candidates:", needs_text(needs)));
    const Candidate* chosen = nullptr;
    for (const Candidate& candidate : resolution.candidates) {
      if (candidate.id == resolution.provider) chosen = &candidate;
    }
    if (chosen && authority != nullptr && chosen->id == authority->id()) {
      resolution.how = fmt::format("auto: the configured authority ({})", authority_source);
    }
    return resolution;
  }

  const Adapter* named = find_adapter(policy);
  if (named == nullptr) {
    throw usage_error(
        fmt::format("unknown provider '{}': use auto, authority, primary, omk or one of: {}",
                    policy_text, known_provider_ids()));
  }
  resolve_one(*named, "named explicitly",
              fmt::format("provider '{}' cannot run this task{}:", named->id(), needs_text(needs)));
  return resolution;
}

Json to_json(const Resolution& resolution) {
  Json json = Json::object();
  json["policy"] = resolution.policy;
  json["provider"] = resolution.provider;
  json["how"] = resolution.how;
  Json candidates = Json::array();
  for (const Candidate& candidate : resolution.candidates) {
    candidates.push_back(
        {{"id", candidate.id}, {"accepted", candidate.accepted}, {"reason", candidate.reason}});
  }
  json["candidates"] = candidates;
  return json;
}

}  // namespace omk::providers
