#include "mcp/http_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>

#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "core/error.h"
#include "mcp/protocol.h"
#include "mcp/url.h"

namespace omk::mcp {
namespace {

constexpr size_t kMaxSessions = 256;

std::string new_session_id() {
  std::random_device device;
  std::string id;
  for (int i = 0; i < 4; ++i) id += fmt::format("{:08x}", device());
  return id;
}

// "localhost:3000" → "localhost"; "[::1]:3000" → "[::1]".
std::string host_part(const std::string& host_header) {
  if (!host_header.empty() && host_header.front() == '[') {
    size_t close = host_header.find(']');
    return close == std::string::npos ? host_header : host_header.substr(0, close + 1);
  }
  return host_header.substr(0, host_header.find(':'));
}

void json_error(httplib::Response& response, int status, int64_t code, const std::string& message,
                const Json& id = nullptr) {
  response.status = status;
  response.set_content(jsonrpc::serialize(jsonrpc::make_error(id, code, message)),
                       "application/json");
}

std::optional<std::string> modern_version_of(const jsonrpc::Message& message) {
  if (!message.params.is_object()) return std::nullopt;
  auto meta = message.params.find("_meta");
  if (meta == message.params.end() || !meta->is_object()) return std::nullopt;
  auto version = meta->find(std::string(kMetaProtocolVersion));
  if (version == meta->end() || !version->is_string()) return std::nullopt;
  return version->get<std::string>();
}

class HttpFrontEnd {
 public:
  explicit HttpFrontEnd(const McpServer& server) : server_(server) {}

  // DNS rebinding: a browser page may reach 127.0.0.1 under another name; its Host (and any
  // Origin) then names that other host.
  bool local_request(const httplib::Request& request, httplib::Response& response) const {
    std::string host = host_part(request.get_header_value("Host"));
    if (!host.empty() && !is_loopback_host(host)) {
      json_error(response, 403, jsonrpc::kInvalidRequest, "Forbidden: Host is not this machine");
      return false;
    }
    if (request.has_header("Origin")) {
      auto origin = parse_url(request.get_header_value("Origin"));
      if (!origin || !is_loopback_host(origin->host)) {
        json_error(response, 403, jsonrpc::kInvalidRequest,
                   "Forbidden: Origin is not this machine");
        return false;
      }
    }
    return true;
  }

  void post(const httplib::Request& request, httplib::Response& response) {
    auto frame = jsonrpc::parse_frame(request.body);
    if (frame.error) {
      bool parse = frame.error->type != jsonrpc::FrameErrorType::kNotJsonRpc;
      json_error(response, 400, parse ? jsonrpc::kParseError : jsonrpc::kInvalidRequest,
                 parse ? "Parse error" : "Invalid Request");
      return;
    }
    bool modern = false;
    bool initialize = false;
    for (const auto& message : frame.messages) {
      if (auto version = modern_version_of(message);
          version && *version == kModernProtocolVersion) {
        modern = true;
      }
      if (message.method == "initialize") initialize = true;
    }
    if (modern) {
      serve_modern(request, response, frame);
      return;
    }
    ServerSession* session = nullptr;
    std::string session_id = request.get_header_value("Mcp-Session-Id");
    std::unique_lock lock(mutex_);
    if (initialize) {
      if (frame.messages.size() != 1) {
        json_error(response, 400, jsonrpc::kInvalidRequest, "initialize must be sent alone");
        return;
      }
      if (sessions_.size() >= kMaxSessions) sessions_.erase(sessions_.begin());
      session_id = new_session_id();
      session = &sessions_[session_id];
      response.set_header("Mcp-Session-Id", session_id);
    } else if (session_id.empty()) {
      // A legacy server/discover probe lands here too: no session, no modern _meta.
      json_error(response, 400, jsonrpc::kInvalidRequest,
                 "Bad Request: no Mcp-Session-Id (send initialize first)");
      return;
    } else {
      auto it = sessions_.find(session_id);
      if (it == sessions_.end()) {
        json_error(response, 404, jsonrpc::kInvalidRequest, "Session not found");
        return;
      }
      session = &it->second;
      std::string version = request.get_header_value("MCP-Protocol-Version");
      if (!version.empty() && !is_supported_legacy_version(version)) {
        json_error(response, 400, jsonrpc::kInvalidRequest, "Unsupported MCP-Protocol-Version");
        return;
      }
    }
    ServerSession copy = *session;
    lock.unlock();
    reply(frame, copy, response);
    lock.lock();
    if (auto it = sessions_.find(session_id); it != sessions_.end()) it->second = copy;
  }

  void remove(const httplib::Request& request, httplib::Response& response) {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(request.get_header_value("Mcp-Session-Id"));
    if (it == sessions_.end()) {
      json_error(response, 404, jsonrpc::kInvalidRequest, "Session not found");
      return;
    }
    sessions_.erase(it);
    response.status = 200;
  }

 private:
  void serve_modern(const httplib::Request& request, httplib::Response& response,
                    const jsonrpc::ParsedFrame& frame) {
    if (frame.messages.size() != 1) {
      json_error(response, 400, jsonrpc::kInvalidRequest, "one message per request");
      return;
    }
    const auto& message = frame.messages.front();
    std::string method_header = request.get_header_value("Mcp-Method");
    std::string version_header = request.get_header_value("MCP-Protocol-Version");
    if ((!method_header.empty() && method_header != message.method) ||
        (!version_header.empty() && version_header != kModernProtocolVersion)) {
      json_error(response, 400, jsonrpc::kHeaderMismatch,
                 "Header mismatch: Mcp-Method / MCP-Protocol-Version do not match the body",
                 message.is_request() ? message.id : Json(nullptr));
      return;
    }
    ServerSession stateless;
    stateless.initialized = true;
    reply(frame, stateless, response);
  }

  void reply(const jsonrpc::ParsedFrame& frame, ServerSession& session,
             httplib::Response& response) {
    std::vector<Json> replies;
    for (const auto& message : frame.messages) {
      if (auto answer = server_.handle(message, session)) replies.push_back(std::move(*answer));
    }
    if (replies.empty()) {
      response.status = 202;  // notifications and responses: accepted, no body
      return;
    }
    Json body = frame.batch ? Json(replies) : replies.front();
    response.status = 200;
    response.set_content(jsonrpc::serialize(body), "application/json");
  }

  const McpServer& server_;
  std::mutex mutex_;
  std::map<std::string, ServerSession> sessions_;
};

}  // namespace

int serve_http(const McpServer& server, const HttpServeOptions& options) {
  // SIGINT/SIGTERM are taken by one thread that stops the server: a signal handler could not.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  httplib::Server http;
  HttpFrontEnd front(server);
  http.set_payload_max_length(jsonrpc::kDefaultMaxMessageBytes);
  http.set_pre_routing_handler([&](const httplib::Request& request, httplib::Response& response) {
    return front.local_request(request, response) ? httplib::Server::HandlerResponse::Unhandled
                                                  : httplib::Server::HandlerResponse::Handled;
  });
  http.Post(options.path, [&](const httplib::Request& request, httplib::Response& response) {
    front.post(request, response);
  });
  http.Delete(options.path, [&](const httplib::Request& request, httplib::Response& response) {
    front.remove(request, response);
  });
  http.Get(options.path, [](const httplib::Request&, httplib::Response& response) {
    response.status = 405;
    response.set_header("Allow", "POST, DELETE");
  });

  int port = options.port;
  if (port == 0) {
    port = http.bind_to_any_port("127.0.0.1");
  } else if (!http.bind_to_port("127.0.0.1", port)) {
    port = -1;
  }
  if (port <= 0) {
    throw usage_error(
        fmt::format("cannot listen on 127.0.0.1:{}: the port is in use or not "
                    "allowed; choose another with --http PORT (0 picks a free one)",
                    options.port));
  }
  if (options.on_listening) options.on_listening(port);
  std::thread stopper([&] {
    int received = 0;
    sigwait(&stop_signals, &received);
    http.stop();
  });
  http.listen_after_bind();
  // listen returned: stopped by a signal, or failed. Wake the waiter if it is still waiting.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return 0;
}

}  // namespace omk::mcp
