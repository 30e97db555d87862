#include "mcp/mcp_config.h"

#include <algorithm>

#include "mcp/file_read.h"

namespace omk::mcp {

const ServerConfig* McpConfig::find(std::string_view name) const {
  auto it = std::find_if(servers.begin(), servers.end(),
                         [&](const ServerConfig& server) { return server.name == name; });
  return it == servers.end() ? nullptr : &*it;
}

McpConfig load_mcp_config(const std::vector<ActiveFile>& files, Scope scope) {
  McpConfig config;
  config.scope = scope;
  for (const ActiveFile& file : files) {
    SourceStatus status;
    status.file = file;
    FileText read = read_tool_plane_file(file.path);
    status.exists = read.exists;
    if (read.exists && !read.text) {
      config.diagnostics.push_back(
          {Level::kError, "mcp_config_unreadable", file.display, "MCP config " + read.error});
    }
    if (read.text) {
      ParsedMcpFile parsed = parse_mcp_text(*read.text, file, config.diagnostics);
      status.parsed = parsed.parsed;
      status.server_count = parsed.servers.size();
      for (ServerConfig& server : parsed.servers) {
        auto it = std::find_if(config.servers.begin(), config.servers.end(),
                               [&](const ServerConfig& s) { return s.name == server.name; });
        if (it == config.servers.end()) {
          config.servers.push_back(std::move(server));
        } else {
          std::vector<std::string> defined_in = std::move(it->defined_in);
          defined_in.push_back(file.display);
          *it = std::move(server);
          it->defined_in = std::move(defined_in);
        }
      }
    }
    config.sources.push_back(std::move(status));
  }
  return config;
}

McpConfig load_mcp_config(const Locations& locations, const ScopeSettings& scopes) {
  return load_mcp_config(active_tool_plane_files(locations, scopes).mcp, scopes.mcp);
}

}  // namespace omk::mcp
