#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/environment.h"
#include "mcp/diagnostic.h"
#include "mcp/hooks.h"
#include "mcp/mcp_config.h"
#include "mcp/scopes.h"
#include "mcp/skills.h"

namespace omk::mcp {

// What a server may receive from omk's environment: the names granted to it.
struct ServerGrants {
  std::map<std::string, std::vector<std::string>> per_server;  // [mcp.<name>] grant
  std::vector<std::string> everyone;                           // [env] grant_secrets
  bool granted(std::string_view server, std::string_view variable) const;
};

struct InventoryQuery {
  Locations locations;
  ScopeSettings scopes;
  EnvMap env;  // omk's own: PATH for offline lookups, whether ${NAME} references are set
  ServerGrants grants;
};

InventoryQuery inventory_query(const Locations& locations, const Config& config, const EnvMap& env);

// The tool plane as omk sees it, offline: active MCP servers, skills and hook registrations with
// their scope, and every problem found reading them. Built by one function that every consumer
// (omk mcp list/doctor, omk doctor, startup, routing) uses. Building it reads files and stats
// paths; it never starts a process or opens a socket.
struct ToolPlaneInventory {
  ScopeSettings scopes;
  std::vector<SourceStatus> mcp_sources;
  std::vector<ServerConfig> servers;
  std::vector<Skill> skills;
  std::vector<HookRegistration> hooks;
  std::vector<Diagnostic> diagnostics;

  const ServerConfig* find_server(std::string_view name) const;
  size_t errors() const { return count_level(diagnostics, Level::kError); }
  size_t warnings() const { return count_level(diagnostics, Level::kWarning); }
};

ToolPlaneInventory build_inventory(const InventoryQuery& query);

// The directory relative commands and cwd of a server resolve against: the project root for
// project files, HOME for user files.
std::filesystem::path server_base_dir(const ServerConfig& server, const Locations& locations);

}  // namespace omk::mcp
