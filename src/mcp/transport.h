#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/json_output.h"
#include "mcp/jsonrpc.h"

namespace omk::mcp {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

inline Deadline deadline_after(int64_t ms) {
  return Clock::now() + std::chrono::milliseconds(ms);
}

// What the transport needs to know about the conversation (set by the client as it learns it).
struct ProtocolState {
  bool modern = false;           // 2026-07-28 and later: no session, per-request metadata
  std::string protocol_version;  // sent as MCP-Protocol-Version once known
};

// A connection to one MCP server. Failures throw McpError with a category.
class Transport {
 public:
  virtual ~Transport() = default;
  // Sends one message. An HTTP transport reads the reply to a request here (it comes back on
  // the same POST) and queues it for receive().
  virtual void send(const Json& message, Deadline deadline) = 0;
  // The next message from the server, or nullopt when the deadline passes first.
  virtual std::optional<jsonrpc::Message> receive(Deadline deadline) = 0;
  // Ends the conversation cleanly (stdio: close stdin, wait, SIGTERM, SIGKILL; HTTP: DELETE the
  // session). Never throws.
  virtual void close() = 0;
  virtual void set_protocol(const ProtocolState& state) { (void)state; }
  // How to answer a request the server sends in the middle of a response (HTTP: on the SSE
  // stream of our request, which waits for the answer). A stdio transport leaves server
  // requests to receive().
  using RequestHandler = std::function<Json(const jsonrpc::Message&)>;
  virtual void set_request_handler(RequestHandler handler) { (void)handler; }
  // The last lines the server wrote to stderr, redacted, for failure messages (stdio only).
  virtual std::string stderr_tail() const { return {}; }
  virtual bool is_http() const { return false; }
};

}  // namespace omk::mcp
