#pragma once

#include "mcp/server.h"

namespace omk::mcp {

// Serves `server` on file descriptors (stdin/stdout when run by an agent): one JSON-RPC message
// per line in, one per line out, until end of input. Returns the process exit code. Frames are
// written to `out_fd` as they are (they are protocol, not terminal text; tool results went
// through the redactor when they were built).
int serve_stdio(const McpServer& server, int in_fd, int out_fd);

}  // namespace omk::mcp
