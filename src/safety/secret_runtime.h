#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "safety/secret_scanner.h"

namespace omk::safety {

// `omk secrets scan --runtime`: the trust-boundary files agents and omk read at run time.

// The project's trust-boundary paths that exist: .omk/, .kimi/, .codex/, .claude/ (MCP
// configs, hooks, run artifacts, gitignored or not) and .mcp.json.
std::vector<std::filesystem::path> runtime_scan_paths(const std::filesystem::path& root);

// MCP server `env` and `headers` values (and Codex `bearer_token`s) written as literal secrets
// instead of ${VAR} references, in .omk/mcp.json, .kimi/mcp.json, .mcp.json, .claude/*.json
// and .codex/config.toml. A value is a literal secret when a secret rule matches it, or when
// its name is secret-like (API_KEY, Authorization, X-Api-Key) and anything but references and
// an auth scheme word remains. Findings use rule "mcp-literal-secret" and never hold the value.
// Unreadable or invalid config files become warnings (path and reason, never content).
std::vector<SecretFinding> mcp_literal_secret_findings(const std::filesystem::path& root,
                                                       const std::set<std::string>& ignored,
                                                       ScanStats& stats,
                                                       std::vector<std::string>& warnings);

inline constexpr const char* kMcpLiteralSecretRule = "mcp-literal-secret";

}  // namespace omk::safety
