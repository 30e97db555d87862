#pragma once

#include <string_view>
#include <vector>

#include "mcp/diagnostic.h"
#include "mcp/scopes.h"
#include "mcp/server_config.h"

namespace omk::mcp {

struct SourceStatus {
  ActiveFile file;
  bool exists = false;
  bool parsed = false;  // read and valid JSON of the right shape
  size_t server_count = 0;
};

// The active MCP configuration: every active file read once and merged by server name, a later
// file replacing the whole entry (no deep merge, so what you see in one file is what runs).
struct McpConfig {
  Scope scope = Scope::kProject;
  std::vector<SourceStatus> sources;
  std::vector<ServerConfig> servers;  // in first-seen order
  std::vector<Diagnostic> diagnostics;

  const ServerConfig* find(std::string_view name) const;
};

McpConfig load_mcp_config(const std::vector<ActiveFile>& files, Scope scope);
McpConfig load_mcp_config(const Locations& locations, const ScopeSettings& scopes);

}  // namespace omk::mcp
