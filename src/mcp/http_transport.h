#pragma once

#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mcp/jsonrpc.h"
#include "mcp/transport.h"

namespace omk::mcp {

struct HttpEndpoint {
  std::string url;
  // Resolved headers (references already expanded); they may hold credentials and are never
  // printed or logged.
  std::vector<std::pair<std::string, std::string>> headers;
  size_t max_message_bytes = jsonrpc::kDefaultMaxMessageBytes;
  bool follow_redirects = false;  // off: a redirect could carry the Authorization header away
};

// Streamable HTTP (2025-03-26 and later, both eras) over libcurl: every message is a POST with
// Accept: application/json, text/event-stream; replies are JSON or an SSE stream read until the
// awaited response arrives. Legacy sessions (Mcp-Session-Id) are kept and DELETEd on close; a
// stream closed before its response is resumed with GET and Last-Event-ID. TLS is verified.
class HttpTransport final : public Transport {
 public:
  explicit HttpTransport(HttpEndpoint endpoint);
  ~HttpTransport() override;
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  void send(const Json& message, Deadline deadline) override;
  std::optional<jsonrpc::Message> receive(Deadline deadline) override;
  void close() override;
  void set_protocol(const ProtocolState& state) override { protocol_ = state; }
  void set_request_handler(RequestHandler handler) override { handler_ = std::move(handler); }
  bool is_http() const override { return true; }

  const std::string& session_id() const { return session_id_; }

 private:
  struct Exchange;
  void perform(Exchange& exchange, Deadline deadline);
  void resume(Exchange& exchange, Deadline deadline);
  // Answers a server request while the stream that carried it is still open (a second handle).
  void reply_inline(const Json& reply);

  HttpEndpoint endpoint_;
  std::string origin_;  // for messages: never the path or query
  void* curl_ = nullptr;
  std::deque<jsonrpc::Message> inbox_;
  std::string session_id_;
  ProtocolState protocol_;
  RequestHandler handler_;
  Deadline current_deadline_{};
};

}  // namespace omk::mcp
