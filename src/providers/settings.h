#pragma once

#include <string>
#include <vector>

#include "core/config.h"

namespace omk::providers {

// A provider's [providers.<id>] table of .omk/config.toml.
struct ProviderSettings {
  bool enabled = true;
  std::string model;        // "": the provider's default
  std::string binary;       // "": the adapter's usual name on PATH
  std::string base_url;     // "": the provider's own endpoint
  std::string api_key_env;  // "": the provider's usual variable, or its own login
};

ProviderSettings provider_settings(const Config& config, const std::string& id);

// [providers.<name>] tables that name no provider (shown by doctor as warnings).
std::vector<std::string> unknown_provider_tables(const Config& config);

}  // namespace omk::providers
