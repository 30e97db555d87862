#include "providers/settings.h"

#include "providers/registry.h"

namespace omk::providers {

ProviderSettings provider_settings(const Config& config, const std::string& id) {
  std::string prefix = "providers." + id + ".";
  ProviderSettings settings;
  settings.enabled = config.boolean(prefix + "enabled");
  settings.model = config.string(prefix + "model");
  settings.binary = config.string(prefix + "binary");
  settings.base_url = config.string(prefix + "base_url");
  settings.api_key_env = config.string(prefix + "api_key_env");
  return settings;
}

std::vector<std::string> unknown_provider_tables(const Config& config) {
  std::vector<std::string> unknown;
  for (const std::string& name : config.tables("providers")) {
    if (find_adapter(name) == nullptr) unknown.push_back(name);
  }
  return unknown;
}

}  // namespace omk::providers
