#include "mcp/stdio_server.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "core/log.h"

namespace omk::mcp {
namespace {

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;  // the client went away (EPIPE): stop quietly
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

int serve_stdio(const McpServer& server, int in_fd, int out_fd) {
  ::signal(SIGPIPE, SIG_IGN);
  ServerSession session;
  jsonrpc::LineFramer framer;
  std::vector<jsonrpc::LineFramer::Event> events;
  auto answer = [&](const std::string& line) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) return true;
    for (const Json& reply : server.handle_frame(line, session)) {
      if (!write_all(out_fd, jsonrpc::serialize(reply) + "\n")) return false;
    }
    return true;
  };
  char buffer[65536];
  while (true) {
    ssize_t n = ::read(in_fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    events.clear();
    framer.feed(std::string_view(buffer, static_cast<size_t>(n)), events);
    for (const auto& event : events) {
      if (event.oversized) {
        log::warn("omk-project: a message over the size limit was discarded");
        if (!write_all(out_fd, jsonrpc::serialize(jsonrpc::make_error(
                                   nullptr, jsonrpc::kInvalidRequest, "Message too large")) +
                                   "\n")) {
          return 0;
        }
        continue;
      }
      if (!answer(event.line)) return 0;
    }
  }
  if (auto last = framer.finish()) answer(last->line);
  return 0;
}

}  // namespace omk::mcp
