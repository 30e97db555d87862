#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json_output.h"
#include "mcp/failure.h"
#include "mcp/server_config.h"
#include "mcp/server_launch.h"

namespace omk::mcp {

enum class CheckStatus { kOk, kFailed, kSkipped };
std::string_view to_string(CheckStatus status);

// One server, actively: started (or reached), handshake, tools listed, shut down.
struct CheckResult {
  std::string name;
  bool required = false;
  CheckStatus status = CheckStatus::kSkipped;
  std::optional<FailureCategory> failure;
  std::string message;  // why it failed or was skipped (redacted by the sink that prints it)
  int64_t latency_ms = 0;
  std::string era;  // "modern" or "legacy"
  std::string protocol_version;
  std::string server_name;
  std::string server_version;
  std::vector<std::string> tools;  // after enabledTools/disabledTools
  size_t hidden_tools = 0;         // listed by the server, filtered out by the config
  std::vector<std::string> notes;  // env entries or headers not passed, etc.
};

struct CheckOptions {
  size_t concurrency = 8;
  ClientOptions client;  // timeouts other than the server's own
};

CheckResult check_server(const ServerConfig& server, const LaunchContext& context,
                         const CheckOptions& options);

// Every server, at most `concurrency` at a time; results in the servers' order.
std::vector<CheckResult> check_servers(const std::vector<ServerConfig>& servers,
                                       const LaunchContext& context, const CheckOptions& options);

Json to_json(const CheckResult& result);

// The gate agent runs and chat turns call before a child receives MCP servers: every required
// server among `receiving` (all when empty) must pass a check. The first that does not throws
// UserError with exit code 3, naming the server and the failure category.
void enforce_required_servers(const std::vector<ServerConfig>& servers,
                              const LaunchContext& context,
                              const std::vector<std::string>& receiving,
                              const CheckOptions& options);

}  // namespace omk::mcp
