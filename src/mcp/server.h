#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/json_output.h"
#include "mcp/jsonrpc.h"

namespace omk::mcp {

// A tool failure the agent should see as a result (isError), not as a protocol error.
class ToolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad arguments: the JSON-RPC error -32602.
class InvalidParams : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ToolSpec {
  std::string name;
  std::string title;
  std::string description;
  Json input_schema;
  bool read_only = true;
  // Returns the tool's result content: text (plain) or any JSON (sent as pretty JSON text and
  // as structuredContent). Throws ToolError for failures the caller can fix, InvalidParams for
  // arguments that do not fit the schema.
  std::function<Json(const Json& arguments)> handler;
};

struct ResourceSpec {
  std::string uri;
  std::string name;
  std::string description;
  std::string mime_type = "application/json";
  std::function<std::string()> read;
};

struct PromptSpec {
  std::string name;
  std::string description;
  std::function<std::string()> text;
};

struct ServerInfo {
  std::string name;
  std::string version;
  std::string instructions;
};

// The state a legacy conversation keeps (one per stdio process or HTTP session).
struct ServerSession {
  bool initialized = false;
  std::string protocol_version;
  std::string log_level = "info";
};

// A dual-era MCP server: it answers the 2026-07-28 stateless requests (server/discover and
// per-request _meta) and the initialize handshake of 2025-11-25, 2025-06-18, 2025-03-26 and
// 2024-11-05. Transports (stdio, HTTP) feed it messages; it never does I/O itself and is safe to
// call from several threads.
class McpServer {
 public:
  explicit McpServer(ServerInfo info) : info_(std::move(info)) {}

  void add_tool(ToolSpec tool);
  void add_resource(ResourceSpec resource);
  void add_prompt(PromptSpec prompt);

  // The reply to one message, or nullopt for notifications and responses (which get none).
  std::optional<Json> handle(const jsonrpc::Message& message, ServerSession& session) const;
  // One frame (a stdio line or an HTTP body): the replies to send, in order. A frame that is not
  // JSON-RPC gets the JSON-RPC parse/invalid-request error with a null id.
  std::vector<Json> handle_frame(std::string_view text, ServerSession& session) const;

  const ServerInfo& info() const { return info_; }
  const std::vector<ToolSpec>& tools() const { return tools_; }
  Json capabilities() const;

 private:
  Json initialize(const jsonrpc::Message& message, ServerSession& session) const;
  Json discover() const;
  Json call_tool(const Json& params) const;
  Json read_resource(const Json& params) const;
  Json get_prompt(const Json& params) const;
  Json tools_list() const;

  ServerInfo info_;
  std::vector<ToolSpec> tools_;
  std::vector<ResourceSpec> resources_;
  std::vector<PromptSpec> prompts_;
};

}  // namespace omk::mcp
