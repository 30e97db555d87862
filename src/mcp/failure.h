#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace omk::mcp {

// Why talking to a server failed, as a stable category the CLI, the JSON outputs and the
// required-server gate report. Every failure of the client has exactly one.
enum class FailureCategory {
  kConfigInvalid,    // the server's entry cannot be used (invalid, disabled, ungranted secret)
  kCommandNotFound,  // the stdio command does not exist
  kSpawnFailed,      // it exists but could not be started (permissions, sandbox refused)
  kTimeout,          // no answer within the startup or request timeout
  kProtocolError,    // not MCP: garbage on stdout, wrong ids, bad results, oversized frames
  kHttpError,        // an HTTP status or a transport error (connection refused, TLS)
  kAuthRequired,     // HTTP 401/403: credentials missing or rejected
  kCrashed,          // the server process exited in the middle of a request
  kCancelled,        // the caller cancelled
};

std::string_view to_string(FailureCategory category);

class McpError : public std::runtime_error {
 public:
  McpError(FailureCategory category, const std::string& message)
      : std::runtime_error(message), category_(category) {}
  FailureCategory category() const { return category_; }

  // Set for HTTP failures and JSON-RPC error responses (the era probe inspects them).
  std::optional<long> http_status;
  std::optional<int64_t> rpc_code;
  bool session_expired = false;

 private:
  FailureCategory category_;
};

}  // namespace omk::mcp
