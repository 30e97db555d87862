#pragma once

#include <functional>
#include <string>

#include "mcp/server.h"

namespace omk::mcp {

struct HttpServeOptions {
  int port = 0;  // 0: any free port
  std::string path = "/mcp";
  // Called once the socket is bound, with the port (to print it).
  std::function<void(int port)> on_listening;
};

// Serves `server` over Streamable HTTP on 127.0.0.1 only (never another interface). Requests
// whose Origin or Host is not this machine are refused with 403 (DNS rebinding). Legacy clients
// get an Mcp-Session-Id at initialize (404 once it is gone, DELETE ends it); modern requests
// (2026-07-28) are served without a session and their Mcp-Method header must match the body.
// Blocks until SIGINT or SIGTERM; returns the exit code. Throws UserError when the port cannot
// be bound.
int serve_http(const McpServer& server, const HttpServeOptions& options);

}  // namespace omk::mcp
