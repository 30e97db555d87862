#include "mcp/http_transport.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <thread>

#include "mcp/failure.h"
#include "mcp/sse.h"
#include "mcp/url.h"

namespace omk::mcp {
namespace {

void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool header_is(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) !=
        std::tolower(static_cast<unsigned char>(name[i]))) {
      return false;
    }
  }
  return true;
}

std::string header_value(std::string_view line, std::string_view name) {
  std::string_view value = line.substr(name.size() + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  return std::string(value);
}

// The value of Mcp-Name: plain when it is safe visible ASCII, else the base64 sentinel form.
std::string mcp_name_header(const std::string& value) {
  bool plain = !value.empty() && value.front() != ' ' && value.back() != ' ' &&
               !(value.rfind("=?base64?", 0) == 0) &&
               std::all_of(value.begin(), value.end(), [](char c) {
                 auto u = static_cast<unsigned char>(c);
                 return u >= 0x20 && u < 0x7f;
               });
  if (plain) return value;
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out = "=?base64?";
  size_t i = 0;
  for (; i + 2 < value.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(value[i]) << 16) |
                 (static_cast<uint8_t>(value[i + 1]) << 8) | static_cast<uint8_t>(value[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  if (i < value.size()) {
    uint32_t n = static_cast<uint8_t>(value[i]) << 16;
    if (i + 1 < value.size()) n |= static_cast<uint8_t>(value[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < value.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out + "?=";
}

}  // namespace

// The state of one HTTP request/response.
struct HttpTransport::Exchange {
  HttpTransport* self = nullptr;
  std::string method = "POST";
  std::string body;
  Json awaited_id;  // the request id whose response ends the exchange; null for none
  std::string mcp_method;
  std::string mcp_name;
  std::string last_event_id;  // for a GET resume

  // Filled while the response arrives.
  long status = 0;
  bool event_stream = false;
  bool headers_checked = false;
  bool answered = false;   // the awaited response arrived (the transfer may then be cut)
  bool oversized = false;  // the body or an event went beyond the bound
  bool protocol_garbage = false;
  std::string json_body;
  std::unique_ptr<SseParser> sse;
  std::vector<jsonrpc::Message> received;
  bool www_authenticate = false;

  void take(const jsonrpc::ParsedFrame& frame) {
    if (frame.error) {
      protocol_garbage = true;
      return;
    }
    for (const auto& message : frame.messages) {
      if (message.is_request() && self->handler_) {
        self->reply_inline(self->handler_(message));
        continue;
      }
      if (!awaited_id.is_null() && message.is_response() && message.id == awaited_id) {
        answered = true;
      }
      received.push_back(message);
    }
  }

  static size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* exchange = static_cast<Exchange*>(user);
    std::string_view line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {
      // "HTTP/1.1 200 OK": a new status line (after a 100 Continue) starts over.
      exchange->event_stream = false;
      exchange->www_authenticate = false;
      size_t space = line.find(' ');
      exchange->status =
          space == std::string_view::npos ? 0 : std::strtol(line.data() + space + 1, nullptr, 10);
    } else if (header_is(line, "content-type")) {
      std::string value = header_value(line, "content-type");
      std::transform(value.begin(), value.end(), value.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      exchange->event_stream = value.find("text/event-stream") != std::string::npos;
    } else if (header_is(line, "mcp-session-id")) {
      std::string id = header_value(line, "mcp-session-id");
      bool visible = !id.empty() && std::all_of(id.begin(), id.end(),
                                                [](char c) { return c >= 0x21 && c <= 0x7e; });
      if (visible && !exchange->self->protocol_.modern) exchange->self->session_id_ = id;
    } else if (header_is(line, "content-length")) {
      size_t length = std::strtoull(header_value(line, "content-length").c_str(), nullptr, 10);
      if (length > exchange->self->endpoint_.max_message_bytes) {
        exchange->oversized = true;
        return 0;  // refuse before reading a byte of it
      }
    } else if (header_is(line, "www-authenticate")) {
      exchange->www_authenticate = true;
    }
    return size * count;
  }

  static size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* exchange = static_cast<Exchange*>(user);
    std::string_view chunk(data, size * count);
    size_t limit = exchange->self->endpoint_.max_message_bytes;
    if (exchange->event_stream && exchange->status / 100 == 2) {
      if (!exchange->sse) exchange->sse = std::make_unique<SseParser>(limit);
      std::vector<SseEvent> events;
      if (!exchange->sse->feed(chunk, events)) {
        exchange->oversized = true;
        return 0;
      }
      for (const auto& event : events) {
        if (event.data.empty()) continue;  // priming events carry only an id
        if (event.event != "message") continue;
        exchange->take(jsonrpc::parse_frame(event.data, limit));
      }
      exchange->last_event_id = exchange->sse->last_event_id();
      // The awaited response has arrived: stop reading (a long-lived stream must not block).
      return exchange->answered ? 0 : size * count;
    }
    if (exchange->json_body.size() + chunk.size() > limit) {
      exchange->oversized = true;
      return 0;
    }
    exchange->json_body.append(chunk);
    return size * count;
  }
};

HttpTransport::HttpTransport(HttpEndpoint endpoint) : endpoint_(std::move(endpoint)) {
  ensure_curl_initialised();
  origin_ = url_origin(endpoint_.url).value_or("the server");
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw McpError(FailureCategory::kHttpError, "libcurl could not start");
}

HttpTransport::~HttpTransport() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

void HttpTransport::perform(Exchange& exchange, Deadline deadline) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);
  exchange.self = this;
  auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (remaining.count() <= 0) {
    throw McpError(FailureCategory::kTimeout, fmt::format("no answer from {} in time", origin_));
  }
  curl_easy_setopt(curl, CURLOPT_URL, endpoint_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, endpoint_.follow_redirects ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(std::max<int64_t>(1, remaining.count())));
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Exchange::on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Exchange::on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);

  curl_slist* headers = nullptr;
  auto add = [&](const std::string& line) { headers = curl_slist_append(headers, line.c_str()); };
  if (exchange.method == "POST") {
    add("Content-Type: application/json");
    add("Accept: application/json, text/event-stream");
    add("Expect:");  // no 100-continue round trip for large bodies
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, exchange.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(exchange.body.size()));
  } else if (exchange.method == "GET") {
    add("Accept: text/event-stream");
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    if (!exchange.last_event_id.empty()) add("Last-Event-ID: " + exchange.last_event_id);
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, exchange.method.c_str());
  }
  if (!protocol_.protocol_version.empty()) {
    add("MCP-Protocol-Version: " + protocol_.protocol_version);
  }
  if (!session_id_.empty() && !protocol_.modern) add("Mcp-Session-Id: " + session_id_);
  if (protocol_.modern && !exchange.mcp_method.empty()) {
    add("Mcp-Method: " + exchange.mcp_method);
    if (!exchange.mcp_name.empty()) add("Mcp-Name: " + mcp_name_header(exchange.mcp_name));
  }
  for (const auto& [name, value] : endpoint_.headers) add(name + ": " + value);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &exchange.status);
  curl_slist_free_all(headers);

  for (auto& message : exchange.received) inbox_.push_back(std::move(message));
  exchange.received.clear();
  if (exchange.oversized) {
    throw McpError(FailureCategory::kProtocolError,
                   fmt::format("{} sent a message larger than the {} byte limit", origin_,
                               endpoint_.max_message_bytes));
  }
  if (code == CURLE_WRITE_ERROR && exchange.answered) return;  // we cut the stream ourselves
  if (code == CURLE_OPERATION_TIMEDOUT) {
    throw McpError(FailureCategory::kTimeout, fmt::format("no answer from {} in time", origin_));
  }
  if (code != CURLE_OK) {
    throw McpError(FailureCategory::kHttpError,
                   fmt::format("{}: {}", origin_, curl_easy_strerror(code)));
  }
}

void HttpTransport::send(const Json& message, Deadline deadline) {
  current_deadline_ = deadline;
  Exchange exchange;
  exchange.body = jsonrpc::serialize(message);
  if (message.contains("method") && message.contains("id")) exchange.awaited_id = message["id"];
  if (auto method = message.find("method"); method != message.end() && method->is_string()) {
    exchange.mcp_method = method->get<std::string>();
    if (auto params = message.find("params"); params != message.end() && params->is_object()) {
      for (const char* key : {"name", "uri"}) {
        auto it = params->find(key);
        if (it != params->end() && it->is_string() &&
            (exchange.mcp_method == "tools/call" || exchange.mcp_method == "prompts/get" ||
             exchange.mcp_method == "resources/read")) {
          exchange.mcp_name = it->get<std::string>();
        }
      }
    }
  }
  perform(exchange, deadline);

  long status = exchange.status;
  if (status == 401 || status == 403) {
    McpError error(FailureCategory::kAuthRequired,
                   fmt::format("{} answered HTTP {}: {}", origin_, status,
                               status == 401 ? "authentication required (check the server's "
                                               "headers or bearerTokenEnvVar and its grant)"
                                             : "forbidden (the credentials lack permission)"));
    error.http_status = status;
    throw error;
  }
  if (status / 100 != 2) {
    McpError error(FailureCategory::kHttpError,
                   fmt::format("{} answered HTTP {}", origin_, status));
    error.http_status = status;
    error.session_expired = status == 404 && !session_id_.empty();
    if (error.session_expired) session_id_.clear();
    // A JSON-RPC error in the body tells a modern server (the era probe needs it).
    auto frame = jsonrpc::parse_frame(exchange.json_body, endpoint_.max_message_bytes);
    if (!frame.error && frame.messages.size() == 1 &&
        frame.messages[0].kind == jsonrpc::Kind::kErrorResponse) {
      error.rpc_code = frame.messages[0].error_code;
    }
    throw error;
  }
  if (!exchange.event_stream && !exchange.json_body.empty() && !exchange.awaited_id.is_null()) {
    exchange.take(jsonrpc::parse_frame(exchange.json_body, endpoint_.max_message_bytes));
    for (auto& m : exchange.received) inbox_.push_back(std::move(m));
  }
  if (exchange.protocol_garbage && !exchange.awaited_id.is_null()) {
    throw McpError(
        FailureCategory::kProtocolError,
        fmt::format("{} answered HTTP {} with something that is not JSON-RPC", origin_, status));
  }
  if (!exchange.awaited_id.is_null() && !exchange.answered) {
    if (exchange.event_stream && !exchange.last_event_id.empty()) {
      resume(exchange, deadline);
    } else if (exchange.json_body.empty() && !exchange.event_stream) {
      throw McpError(
          FailureCategory::kProtocolError,
          fmt::format("{} answered HTTP {} without a JSON-RPC response", origin_, status));
    }
  }
}

// A 2025-11-25 server may close a request's SSE stream early (polling); the client waits the
// advertised retry time and resumes with GET and Last-Event-ID until the response arrives.
void HttpTransport::resume(Exchange& exchange, Deadline deadline) {
  int64_t retry_ms = exchange.sse && exchange.sse->retry_ms() ? *exchange.sse->retry_ms() : 1000;
  for (int attempt = 0; attempt < 5 && !exchange.answered; ++attempt) {
    auto wait =
        std::min(std::chrono::milliseconds(retry_ms),
                 std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
    if (wait.count() > 0) std::this_thread::sleep_for(wait);
    Exchange get;
    get.method = "GET";
    get.awaited_id = exchange.awaited_id;
    get.last_event_id = exchange.last_event_id;
    perform(get, deadline);
    if (get.status / 100 != 2) {
      McpError error(
          FailureCategory::kHttpError,
          fmt::format("{} answered HTTP {} when resuming a stream", origin_, get.status));
      error.http_status = get.status;
      throw error;
    }
    exchange.answered = get.answered;
    if (!get.last_event_id.empty()) exchange.last_event_id = get.last_event_id;
    if (get.sse && get.sse->retry_ms()) retry_ms = *get.sse->retry_ms();
  }
}

void HttpTransport::reply_inline(const Json& reply) {
  // The outer transfer holds curl_; a reply needs its own handle.
  void* outer = curl_;
  curl_ = curl_easy_init();
  if (curl_ == nullptr) {
    curl_ = outer;
    return;
  }
  try {
    Exchange exchange;
    exchange.body = jsonrpc::serialize(reply);
    perform(exchange, std::min(current_deadline_, deadline_after(10000)));
  } catch (const McpError&) {
    // The server will time out its own request; ours still fails or succeeds on its own.
  }
  curl_easy_cleanup(static_cast<CURL*>(curl_));
  curl_ = outer;
}

std::optional<jsonrpc::Message> HttpTransport::receive(Deadline /*deadline*/) {
  if (inbox_.empty()) {
    throw McpError(FailureCategory::kProtocolError,
                   fmt::format("{} sent no response to the request", origin_));
  }
  jsonrpc::Message message = std::move(inbox_.front());
  inbox_.pop_front();
  return message;
}

void HttpTransport::close() {
  if (session_id_.empty() || protocol_.modern) return;
  try {
    Exchange exchange;
    exchange.method = "DELETE";
    perform(exchange, deadline_after(2000));
  } catch (const McpError&) {
    // The session ends either way; a server that refuses DELETE (405) lets it expire.
  }
  session_id_.clear();
}

}  // namespace omk::mcp
