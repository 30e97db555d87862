#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_output.h"
#include "mcp/diagnostic.h"
#include "mcp/scopes.h"

namespace omk::mcp {

enum class TransportKind { kStdio, kHttp, kInvalid };
std::string_view to_string(TransportKind transport);

constexpr int64_t kDefaultStartupTimeoutMs = 30000;
constexpr int64_t kDefaultToolTimeoutMs = 120000;

// One server entry of the common {"mcpServers": {...}} shape, validated.
struct ServerConfig {
  std::string name;
  TransportKind transport = TransportKind::kInvalid;

  // stdio
  std::string command;
  std::vector<std::string> args;
  std::map<std::string, std::string> env;  // values may be "${NAME}" references
  std::optional<std::string> cwd;

  // Streamable HTTP
  std::string url;
  std::map<std::string, std::string> headers;  // values may hold "${NAME}" references
  std::optional<std::string> bearer_token_env_var;

  bool enabled = true;
  bool required = false;
  int64_t startup_timeout_ms = kDefaultStartupTimeoutMs;
  int64_t tool_timeout_ms = kDefaultToolTimeoutMs;
  std::optional<std::vector<std::string>> enabled_tools;  // unset: every tool
  std::vector<std::string> disabled_tools;

  // Where the winning definition came from.
  ActiveFile source;
  // Every active file that defines this name, in precedence order (the last one won).
  std::vector<std::string> defined_in;
  // Why the entry is invalid (transport kInvalid); also reported as diagnostics.
  std::vector<std::string> problems;
  // Where the command was found by the inventory's offline lookup (stdio only).
  std::optional<std::string> resolved_command;

  // Whether a tool passes enabledTools/disabledTools.
  bool tool_allowed(std::string_view tool) const;
};

// Parses one entry. Problems make the server kInvalid and each becomes a diagnostic naming the
// field (never its value).
ServerConfig parse_server(const std::string& name, const Json& entry, const ActiveFile& file,
                          std::vector<Diagnostic>& diagnostics);

// Parses a whole MCP config file's text. A syntax error is reported by line and column only.
struct ParsedMcpFile {
  bool parsed = false;
  std::vector<ServerConfig> servers;  // in file order
};
ParsedMcpFile parse_mcp_text(std::string_view text, const ActiveFile& file,
                             std::vector<Diagnostic>& diagnostics);

// A "${NAME}" reference (the whole value); nullopt for a literal.
std::optional<std::string> env_reference(std::string_view value);
// Every "${NAME}" reference inside a value ("Bearer ${TOKEN}" → {"TOKEN"}).
std::vector<std::string> env_references(std::string_view value);
// The value with each reference replaced by `resolve(NAME)`; nullopt when one cannot be
// resolved (the caller drops the entry rather than pass a half-expanded value).
std::optional<std::string> expand_references(
    std::string_view value,
    const std::function<std::optional<std::string>(const std::string&)>& resolve);
bool is_env_name(std::string_view name);

}  // namespace omk::mcp
