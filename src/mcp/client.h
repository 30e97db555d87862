#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/json_output.h"
#include "mcp/failure.h"
#include "mcp/jsonrpc.h"
#include "mcp/transport.h"

namespace omk::mcp {

enum class Era { kModern, kLegacy };
std::string_view to_string(Era era);

struct ClientOptions {
  std::string client_name = "omk";
  std::string client_version = "0";
  int64_t startup_timeout_ms = 30000;  // era probe and handshake together
  int64_t request_timeout_ms = 60000;  // each later request unless the call says otherwise
  // server/discover on stdio before falling back to initialize. A conforming legacy server
  // answers the probe with an error at once; only one that ignores it waits this long. Generous,
  // because a slow start (a cold npx, omk compiling its rules in a sandbox's empty HOME on a
  // loaded machine) must not make a modern server look legacy.
  int64_t probe_timeout_ms = 15000;
  size_t max_pages = 100;  // pagination bound (a server that loops cursors forever)
};

struct ServerIdentity {
  Era era = Era::kLegacy;
  std::string protocol_version;
  std::string name;
  std::string version;
  Json capabilities = Json::object();
  std::string instructions;
};

// A client of one MCP server. It speaks both eras: it probes with server/discover (the stateless
// 2026-07-28 revision) and falls back to the initialize handshake (2025-11-25, 2025-06-18, and
// older 2024-11-05/2025-03-26 servers), and remembers which one the server speaks. Every
// failure is an McpError with a category; nothing waits beyond its deadline.
class McpClient {
 public:
  using TransportFactory = std::function<std::unique_ptr<Transport>()>;

  McpClient(TransportFactory factory, ClientOptions options);
  ~McpClient();
  McpClient(const McpClient&) = delete;
  McpClient& operator=(const McpClient&) = delete;

  const ServerIdentity& connect();
  const ServerIdentity& identity() const { return identity_; }

  std::vector<Json> list_tools();
  Json call_tool(const std::string& name, const Json& arguments, int64_t timeout_ms = 0);
  std::vector<Json> list_resources();
  Json read_resource(const std::string& uri);
  std::vector<Json> list_prompts();
  Json get_prompt(const std::string& name, const Json& arguments);
  // Legacy servers answer ping; a modern server has none, so server/discover stands in.
  void ping();

  // From any thread: the request in flight fails with kCancelled (and the server is told).
  void cancel() { cancelled_ = true; }
  // Clean shutdown (stdio: close stdin, wait, SIGTERM, SIGKILL). Safe to call twice.
  void close();

  // A request by method name, for methods without a helper. Returns the result.
  Json request(const std::string& method, Json params, int64_t timeout_ms = 0);

 private:
  Json exchange(const std::string& method, Json params, Deadline deadline);
  Json with_meta(Json params) const;
  void answer_server_request(const jsonrpc::Message& message);
  std::vector<Json> paginate(const std::string& method, const char* key);
  bool probe_modern(Deadline deadline);
  void initialize(Deadline deadline);
  Deadline request_deadline(int64_t timeout_ms) const;

  TransportFactory factory_;
  ClientOptions options_;
  std::unique_ptr<Transport> transport_;
  ServerIdentity identity_;
  bool connected_ = false;
  int64_t next_id_ = 1;
  std::set<Json> abandoned_ids_;  // timed out or cancelled: a late answer is not an error
  std::atomic<bool> cancelled_{false};
};

}  // namespace omk::mcp
