#include "mcp/client.h"

#include <fmt/format.h>

#include <algorithm>

#include "mcp/protocol.h"

namespace omk::mcp {
namespace {

using jsonrpc::Kind;

bool is_modern_error(int64_t code) {
  return code == jsonrpc::kUnsupportedProtocolVersion ||
         code == jsonrpc::kMissingRequiredClientCapability || code == jsonrpc::kHeaderMismatch;
}

std::string describe_rpc_error(const jsonrpc::Message& message) {
  std::string text = message.error_message;
  if (text.size() > 300) text = text.substr(0, 300) + "…";
  return fmt::format("error {}{}{}", message.error_code, text.empty() ? "" : ": ", text);
}

}  // namespace

std::string_view to_string(Era era) {
  return era == Era::kModern ? "modern" : "legacy";
}

McpClient::McpClient(TransportFactory factory, ClientOptions options)
    : factory_(std::move(factory)), options_(std::move(options)) {}

McpClient::~McpClient() {
  close();
}

Deadline McpClient::request_deadline(int64_t timeout_ms) const {
  return deadline_after(timeout_ms > 0 ? timeout_ms : options_.request_timeout_ms);
}

Json McpClient::with_meta(Json params) const {
  if (identity_.era != Era::kModern) return params;
  if (params.is_null()) params = Json::object();
  Json& meta = params["_meta"];
  meta[std::string(kMetaProtocolVersion)] = kModernProtocolVersion;
  meta[std::string(kMetaClientInfo)] = {{"name", options_.client_name},
                                        {"version", options_.client_version}};
  meta[std::string(kMetaClientCapabilities)] = Json::object();
  return params;
}

namespace {

// omk declares no client capabilities (no sampling, roots or elicitation), so a server may only
// ping it. Anything else gets "method not found" rather than silence.
Json reply_to_server_request(const jsonrpc::Message& message) {
  return message.method == "ping" ? jsonrpc::make_result(message.id, Json::object())
                                  : jsonrpc::make_error(message.id, jsonrpc::kMethodNotFound,
                                                        "omk does not offer " + message.method);
}

}  // namespace

void McpClient::answer_server_request(const jsonrpc::Message& message) {
  transport_->send(reply_to_server_request(message), deadline_after(5000));
}

Json McpClient::exchange(const std::string& method, Json params, Deadline deadline) {
  if (!transport_) throw McpError(FailureCategory::kProtocolError, "not connected");
  Json id = next_id_++;
  transport_->send(jsonrpc::make_request(id, method, std::move(params)), deadline);
  auto abandon = [&](FailureCategory category, const std::string& why) -> McpError {
    abandoned_ids_.insert(id);
    // On stdio the server is told to stop; on HTTP the closed request stream says it.
    if (!transport_->is_http()) {
      try {
        transport_->send(
            jsonrpc::make_notification("notifications/cancelled",
                                       with_meta({{"requestId", id}, {"reason", why}})),
            deadline_after(1000));
      } catch (const McpError&) {
      }
    }
    return McpError(category, why);
  };
  while (true) {
    if (cancelled_) {
      cancelled_ = false;
      throw abandon(FailureCategory::kCancelled, method + " was cancelled");
    }
    Deadline slice = std::min(deadline, Clock::now() + std::chrono::milliseconds(100));
    auto message = transport_->receive(slice);
    if (!message) {
      if (Clock::now() >= deadline) {
        throw abandon(FailureCategory::kTimeout, fmt::format("no answer to {} in time", method));
      }
      continue;
    }
    if (message->is_response()) {
      if (message->id == id) {
        if (message->kind == Kind::kErrorResponse) {
          McpError error(FailureCategory::kProtocolError,
                         fmt::format("{} failed: {}", method, describe_rpc_error(*message)));
          error.rpc_code = message->error_code;
          throw error;
        }
        return message->result;
      }
      if (abandoned_ids_.count(message->id) != 0) continue;  // a late answer we gave up on
      throw McpError(FailureCategory::kProtocolError,
                     fmt::format("the server answered request id {} while id {} was pending",
                                 message->id.dump(), id.dump()));
    }
    if (message->is_request()) {
      answer_server_request(*message);
      continue;
    }
    // Notifications (progress, logging, list_changed) need no action from a one-shot client.
  }
}

bool McpClient::probe_modern(Deadline deadline) {
  identity_.era = Era::kModern;  // so the probe carries the modern _meta
  Json result;
  try {
    result = exchange("server/discover", with_meta(Json::object()), deadline);
  } catch (const McpError& error) {
    identity_.era = Era::kLegacy;
    if (error.rpc_code && is_modern_error(*error.rpc_code)) {
      // A modern server that does not speak omk's modern revision: there is nothing to fall
      // back to.
      throw McpError(FailureCategory::kProtocolError,
                     fmt::format("the server speaks a modern MCP revision other than {} ({})",
                                 kModernProtocolVersion, error.what()));
    }
    switch (error.category()) {
      case FailureCategory::kAuthRequired:
      case FailureCategory::kCancelled:
        throw;
      case FailureCategory::kHttpError:
        // HTTP: a legacy server rejects the unknown, session-less request with a 4xx.
        if (error.http_status && *error.http_status >= 400 && *error.http_status < 500)
          return false;
        throw;
      case FailureCategory::kCrashed:
        // Some legacy servers exit on an unknown first request: start it again for the
        // handshake.
        transport_->close();
        transport_ = factory_();
        transport_->set_request_handler(reply_to_server_request);
        return false;
      case FailureCategory::kTimeout:
        // A legacy server may ignore anything before initialize.
        abandoned_ids_.clear();
        transport_->close();
        transport_ = factory_();
        transport_->set_request_handler(reply_to_server_request);
        return false;
      default:
        if (error.rpc_code) return false;  // any other JSON-RPC error: a legacy server
        throw;
    }
  }
  auto versions = result.find("supportedVersions");
  bool speaks_modern =
      versions != result.end() && versions->is_array() &&
      std::find(versions->begin(), versions->end(), kModernProtocolVersion) != versions->end();
  if (!speaks_modern) {
    identity_.era = Era::kLegacy;
    return false;
  }
  identity_.protocol_version = std::string(kModernProtocolVersion);
  if (auto caps = result.find("capabilities"); caps != result.end() && caps->is_object()) {
    identity_.capabilities = *caps;
  }
  if (auto text = result.find("instructions"); text != result.end() && text->is_string()) {
    identity_.instructions = *text;
  }
  auto meta = result.find("_meta");
  if (meta != result.end() && meta->is_object()) {
    auto info = meta->find(std::string(kMetaServerInfo));
    if (info != meta->end() && info->is_object()) {
      identity_.name = info->value("name", "");
      identity_.version = info->value("version", "");
    }
  }
  return true;
}

void McpClient::initialize(Deadline deadline) {
  identity_.era = Era::kLegacy;
  Json params = {
      {"protocolVersion", kLegacyProtocolVersions.front()},
      {"capabilities", Json::object()},
      {"clientInfo", {{"name", options_.client_name}, {"version", options_.client_version}}}};
  Json result = exchange("initialize", params, deadline);
  if (!result.is_object()) {
    throw McpError(FailureCategory::kProtocolError, "the initialize result is not an object");
  }
  auto version = result.find("protocolVersion");
  if (version == result.end() || !version->is_string()) {
    throw McpError(FailureCategory::kProtocolError, "the initialize result has no protocolVersion");
  }
  if (!is_supported_legacy_version(version->get<std::string>())) {
    throw McpError(FailureCategory::kProtocolError,
                   fmt::format("the server chose protocol version {}, which omk does not speak",
                               version->get<std::string>().substr(0, 40)));
  }
  auto info = result.find("serverInfo");
  if (info == result.end() || !info->is_object() || !info->contains("name") ||
      !(*info)["name"].is_string()) {
    throw McpError(FailureCategory::kProtocolError, "the initialize result has no serverInfo.name");
  }
  identity_.protocol_version = *version;
  identity_.name = (*info)["name"];
  identity_.version = info->value("version", "");
  if (auto caps = result.find("capabilities"); caps != result.end() && caps->is_object()) {
    identity_.capabilities = *caps;
  }
  if (auto text = result.find("instructions"); text != result.end() && text->is_string()) {
    identity_.instructions = *text;
  }
  transport_->set_protocol({false, identity_.protocol_version});
  transport_->send(jsonrpc::make_notification("notifications/initialized", nullptr), deadline);
}

const ServerIdentity& McpClient::connect() {
  if (connected_) return identity_;
  Deadline deadline = deadline_after(options_.startup_timeout_ms);
  transport_ = factory_();
  transport_->set_request_handler(reply_to_server_request);
  Deadline probe_deadline = std::min(
      deadline,
      deadline_after(std::min(options_.probe_timeout_ms, options_.startup_timeout_ms / 2)));
  if (transport_->is_http()) {
    transport_->set_protocol({true, std::string(kModernProtocolVersion)});
  }
  bool modern = probe_modern(transport_->is_http() ? deadline : probe_deadline);
  if (modern) {
    transport_->set_protocol({true, std::string(kModernProtocolVersion)});
  } else {
    transport_->set_protocol({false, ""});
    initialize(deadline);
  }
  connected_ = true;
  return identity_;
}

Json McpClient::request(const std::string& method, Json params, int64_t timeout_ms) {
  if (!connected_) connect();
  Deadline deadline = request_deadline(timeout_ms);
  try {
    return exchange(method, with_meta(params), deadline);
  } catch (const McpError& error) {
    if (!error.session_expired) throw;
  }
  // HTTP 404 on a legacy session: the server forgot it. Start a new one once and retry.
  initialize(deadline);
  return exchange(method, with_meta(std::move(params)), deadline);
}

std::vector<Json> McpClient::paginate(const std::string& method, const char* key) {
  std::vector<Json> items;
  Json cursor;
  std::set<std::string> seen_cursors;
  for (size_t page = 0; page < options_.max_pages; ++page) {
    Json params = Json::object();
    if (!cursor.is_null()) params["cursor"] = cursor;
    Json result = request(method, params);
    auto list = result.find(key);
    if (list == result.end() || !list->is_array()) {
      throw McpError(FailureCategory::kProtocolError,
                     fmt::format("{} result has no \"{}\" array", method, key));
    }
    for (const Json& item : *list) items.push_back(item);
    auto next = result.find("nextCursor");
    if (next == result.end() || next->is_null()) return items;
    if (!next->is_string() || !seen_cursors.insert(next->get<std::string>()).second) {
      throw McpError(FailureCategory::kProtocolError,
                     fmt::format("{} returned a repeated or invalid cursor", method));
    }
    cursor = *next;
  }
  throw McpError(FailureCategory::kProtocolError,
                 fmt::format("{} has more than {} pages", method, options_.max_pages));
}

std::vector<Json> McpClient::list_tools() {
  return paginate("tools/list", "tools");
}

Json McpClient::call_tool(const std::string& name, const Json& arguments, int64_t timeout_ms) {
  Json params = {{"name", name}, {"arguments", arguments.is_null() ? Json::object() : arguments}};
  Json result = request("tools/call", params, timeout_ms);
  if (!result.is_object() || !result.contains("content")) {
    throw McpError(FailureCategory::kProtocolError, "tools/call result has no content");
  }
  return result;
}

std::vector<Json> McpClient::list_resources() {
  return paginate("resources/list", "resources");
}

Json McpClient::read_resource(const std::string& uri) {
  return request("resources/read", {{"uri", uri}});
}

std::vector<Json> McpClient::list_prompts() {
  return paginate("prompts/list", "prompts");
}

Json McpClient::get_prompt(const std::string& name, const Json& arguments) {
  Json params = {{"name", name}};
  if (!arguments.is_null()) params["arguments"] = arguments;
  return request("prompts/get", params);
}

void McpClient::ping() {
  if (identity_.era == Era::kModern) {
    request("server/discover", Json::object());
  } else {
    request("ping", nullptr);
  }
}

void McpClient::close() {
  if (transport_) {
    transport_->close();
    transport_.reset();
  }
  connected_ = false;
}

}  // namespace omk::mcp
