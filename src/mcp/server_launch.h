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

  SandboxSettings sandbox_for(const std::string& server) const;
};

LaunchContext launch_context(const Locations& locations, const Config& config, const EnvMap& env);

// A transport factory for one server, with its environment, headers and sandbox resolved.
// `notes` receives what the user should know (an env entry dropped because its reference is not
// granted). Throws McpError(kConfigInvalid / kCommandNotFound) for servers that cannot start.
McpClient::TransportFactory transport_factory(const ServerConfig& server,
                                              const LaunchContext& context,
                                              std::vector<std::string>& notes);

// The environment a stdio server gets: the basic allowlist of omk's environment, then the
// server's own "env" entries, where a ${NAME} reference resolves only when NAME is granted to
// the server; an entry whose reference does not resolve is dropped (never passed half-expanded
// or as the literal "${NAME}").
EnvMap server_environment(const ServerConfig& server, const LaunchContext& context,
                          std::vector<std::string>& notes);

}  // namespace omk::mcp
