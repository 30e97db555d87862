#pragma once

#include <string>
#include <vector>

#include "core/json_output.h"
#include "providers/health_check.h"
#include "providers/policy.h"

// What `omk provider list|doctor` and `omk doctor` print about providers.
namespace omk::cli {

// Whether [runtime] provider (OMK_PROVIDER) resolves, for a write task, to a healthy provider.
struct PolicyCheck {
  std::string policy;
  bool resolved = false;
  bool checked = false;  // false when only one provider's health was checked
  providers::Resolution resolution;
  std::string error;  // the resolution error (names each candidate)
};

PolicyCheck check_configured_policy(const providers::ProviderContext& context,
                                    const std::vector<providers::ProviderStatus>& statuses,
                                    bool partial);

// The omk.provider.v1 document; `policy` only for doctor.
Json provider_document(const std::vector<providers::ProviderStatus>& statuses,
                       const providers::ProviderContext& context, const PolicyCheck* policy);

std::string provider_table(const std::vector<providers::ProviderStatus>& statuses);
std::string provider_details(const std::vector<providers::ProviderStatus>& statuses);
std::string policy_text(const PolicyCheck& policy);

}  // namespace omk::cli
