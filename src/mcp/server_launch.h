#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/environment.h"
#include "mcp/client.h"
#include "mcp/diagnostic.h"
#include "mcp/inventory.h"
#include "mcp/server_config.h"
#include "safety/env_policy.h"

namespace omk::mcp {

// What decides how omk starts or reaches a server besides its own entry: omk's environment, the
// grants, and the sandbox settings of .omk/config.toml.
struct LaunchContext {
  Locations locations;
  EnvMap parent_env;  // omk's own environment
  ServerGrants grants;
  struct SandboxSettings {
    std::string profile = "read-only";
    bool network = false;
  };
  std::map<std::string, SandboxSettings> per_server;  // [mcp.<name>] sandbox, network
  std::vector<std::filesystem::path> readable_roots;  // [sandbox] readable_roots
  bool require_sandbox = false;                       // [sandbox] require
  safety::EnvPolicy env_policy;  // [env] allow / grant_secrets and omk's trust switches

  SandboxSettings sandbox_for(const std::string& server) const;
};

LaunchContext launch_context(const Locations& locations, const Config& config, const EnvMap& env);

// A transport factory for one server, with its environment, headers and sandbox resolved.
// `notes` receives what the user should know (an env entry dropped because its reference is not
// granted). Throws McpError(kConfigInvalid / kCommandNotFound) for servers that cannot start.
McpClient::TransportFactory transport_factory(const ServerConfig& server,
                                              const LaunchContext& context,
                                              std::vector<std::string>& notes);

// The environment a stdio server gets, built by the safety layer's child-environment policy:
// what passes from omk's environment (the basic allowlist and [env] allow; never a secret),
// then the server's own "env" entries as explicit env. A ${NAME} reference in an entry resolves
// only when NAME is granted to the server ([mcp.<name>] grant or [env] grant_secrets); the
// entry then carries the grant (a secret-like key receiving a granted value passes). An entry
// whose reference does not resolve is dropped, never passed half-expanded or as "${NAME}".
// Denylisted names (GITHUB_TOKEN, AWS_*, ...) never pass, granted or not.
EnvMap server_environment(const ServerConfig& server, const LaunchContext& context,
                          std::vector<std::string>& notes);

}  // namespace omk::mcp
