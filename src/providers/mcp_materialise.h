#pragma once

#include <string>
#include <vector>

#include "core/json_output.h"
#include "mcp/inventory.h"
#include "mcp/server_config.h"

namespace omk::providers {

// The run's scoped MCP servers, ready to be written in each CLI's own format. Values stay as the
// MCP files have them: "${NAME}" references are never resolved here (the CLI resolves them from
// its environment, which omk built with the grants), and an entry whose literal value is a
// secret is dropped with a note rather than copied onto disk again.
struct ScopedServers {
  std::vector<mcp::ServerConfig> servers;
  // Variables the servers reference and the project granted to them ([mcp.<name>] grant,
  // [env] grant_secrets): the agent's environment carries them so the CLI can pass them on.
  std::vector<std::string> granted_variables;
  std::vector<std::string> notes;
};

// Picks `names` from the inventory (every name must be an enabled, valid server there: a server
// outside the scope is refused with UserError exit 3) and cleans their entries.
ScopedServers scope_servers(const mcp::ToolPlaneInventory& inventory,
                            const std::vector<std::string>& names, const mcp::ServerGrants& grants);

// {"mcpServers": {...}} for Claude Code (--mcp-config), Kimi Code and legacy Kimi: stdio
// {command, args, env, cwd}, HTTP {type: "http", url, headers}.
Json mcp_servers_common(const std::vector<mcp::ServerConfig>& servers);
// The "mcpServers" object of Gemini CLI / Qwen Code settings.json (HTTP as httpUrl).
Json mcp_servers_gemini(const std::vector<mcp::ServerConfig>& servers);
// opencode.json's "mcp" object: local {command: [...], environment} / remote {url, headers},
// references rewritten to opencode's "{env:NAME}".
Json mcp_servers_opencode(const std::vector<mcp::ServerConfig>& servers);
// `codex exec -c` overrides (mcp_servers.<name>.command=..., env_vars=[...]). A reference that
// names a different variable than its key cannot be expressed in Codex's config and is dropped
// with a note.
std::vector<std::string> mcp_servers_codex(const std::vector<mcp::ServerConfig>& servers,
                                           std::vector<std::string>& notes);

// TOML literals for -c overrides.
std::string toml_string(const std::string& value);
std::string toml_string_array(const std::vector<std::string>& values);

}  // namespace omk::providers
