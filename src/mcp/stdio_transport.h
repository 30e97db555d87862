#pragma once

#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/environment.h"
#include "mcp/jsonrpc.h"
#include "mcp/transport.h"
#include "sandbox/sandbox.h"

namespace omk::process {
class Child;
class StreamPump;
}  // namespace omk::process

namespace omk::mcp {

struct StdioLaunch {
  std::vector<std::string> argv;  // argv[0] is the resolved executable
  EnvMap env;                     // the server's whole environment (built by server_launch.h)
  std::filesystem::path cwd;
  // The sandbox the server runs in; unset only for a server configured with full access.
  std::optional<sandbox::SandboxRequest> sandbox;
  size_t max_message_bytes = jsonrpc::kDefaultMaxMessageBytes;
};

// A stdio server as a child of omk (process layer: its own process group, parent-death signal,
// stdout read as a protocol channel, stderr through the redactor into a bounded tail). Newline
// delimited JSON-RPC: anything on stdout that is not a JSON-RPC message, or a message beyond the
// size bound, is a protocol error; the server exiting mid-request is "crashed".
class StdioTransport final : public Transport {
 public:
  explicit StdioTransport(StdioLaunch launch);  // spawns; throws McpError
  ~StdioTransport() override;
  StdioTransport(const StdioTransport&) = delete;
  StdioTransport& operator=(const StdioTransport&) = delete;

  void send(const Json& message, Deadline deadline) override;
  std::optional<jsonrpc::Message> receive(Deadline deadline) override;
  void close() override;
  std::string stderr_tail() const override;

  // What the sandbox enforces for this server (empty for full access).
  const sandbox::Sandbox* sandbox() const { return sandbox_.get(); }

 private:
  void on_stdout(std::string_view chunk);
  void on_stderr(std::string_view chunk);
  [[noreturn]] void fail_exited();

  StdioLaunch launch_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::unique_ptr<process::Child> child_;
  std::unique_ptr<process::StreamPump> pump_;
  jsonrpc::LineFramer framer_;
  std::deque<jsonrpc::Message> inbox_;
  std::optional<std::string> protocol_problem_;
  std::string stderr_tail_;
  bool closed_ = false;
};

}  // namespace omk::mcp
