#pragma once

#include <filesystem>
#include <vector>

#include "core/config.h"
#include "core/environment.h"
#include "safety/env_adapters.h"
#include "safety/env_policy.h"
#include "sandbox/sandbox.h"

namespace omk::providers {

class Adapter;

// What every provider operation reads: the project, its configuration and omk's own
// environment (where credentials and the real HOME are).
struct ProviderContext {
  std::filesystem::path root;  // the project root
  Config config;
  EnvMap omk_env;
  std::filesystem::path home;         // the real HOME ("" when unset)
  std::filesystem::path probe_cache;  // "" disables the probe cache

  static ProviderContext make(const std::filesystem::path& root, Config config, EnvMap omk_env);
};

// The adapter's environment declaration (safety's table), with the configured key variable and
// `extra_credentials` (MCP servers' granted variables) added as its credentials.
safety::AdapterEnvDeclaration env_declaration(const Adapter& adapter,
                                              const std::string& api_key_env,
                                              const std::vector<std::string>& extra_credentials);

// A sandbox request with the project's roots ([sandbox] writable_roots, readable_roots; "~/"
// expanded), require, the real HOME, the scratch base and the adapter's HOME entries.
sandbox::SandboxRequest base_sandbox_request(const ProviderContext& context, const Adapter& adapter,
                                             sandbox::Profile profile,
                                             const std::filesystem::path& workspace);

}  // namespace omk::providers
