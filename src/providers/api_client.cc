#include "providers/api_client.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <poll.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <mutex>
#include <random>
#include <thread>

#include "core/json_output.h"
#include "mcp/sse.h"

namespace omk::providers {
namespace {

using SteadyClock = std::chrono::steady_clock;

void ensure_curl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string join_url(const std::string& base, const std::string& path) {
  std::string url = base;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + path;
}

bool header_named(std::string_view line, std::string_view name, std::string& value) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  std::string_view rest = line.substr(name.size() + 1);
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  while (!rest.empty() && (rest.back() == '\r' || rest.back() == '\n' || rest.back() == ' ')) {
    rest.remove_suffix(1);
  }
  value = std::string(rest);
  return true;
}

// One HTTP exchange's state, shared with libcurl's callbacks.
struct Exchange {
  const process::CancelToken* cancel = nullptr;
  std::function<void(std::string_view)> on_delta;
  bool event_stream = false;
  std::optional<std::string> retry_after;
  std::string raw;  // a non-stream body, or an error body (bounded)
  mcp::SseParser sse{8 << 20};
  std::string text;
  std::string model;
  TokenUsage usage;
  bool sse_overflow = false;

  static size_t on_header(char* data, size_t size, size_t count, void* self) {
    auto* exchange = static_cast<Exchange*>(self);
    std::string_view line(data, size * count);
    std::string value;
    if (header_named(line, "content-type", value)) {
      exchange->event_stream = value.find("text/event-stream") != std::string::npos;
    } else if (header_named(line, "retry-after", value)) {
      exchange->retry_after = value;
    }
    return size * count;
  }

  static size_t on_body(char* data, size_t size, size_t count, void* self) {
    auto* exchange = static_cast<Exchange*>(self);
    std::string_view chunk(data, size * count);
    if (!exchange->event_stream) {
      if (exchange->raw.size() < (4 << 20)) exchange->raw.append(chunk);
      return chunk.size();
    }
    std::vector<mcp::SseEvent> events;
    if (!exchange->sse.feed(chunk, events)) {
      exchange->sse_overflow = true;
      return 0;  // aborts the transfer
    }
    for (const mcp::SseEvent& event : events) exchange->handle(event.data);
    return chunk.size();
  }

  static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* exchange = static_cast<Exchange*>(self);
    return exchange->cancel && exchange->cancel->cancelled() ? 1 : 0;
  }

  void handle(const std::string& data) {
    if (data == "[DONE]") return;
    Json chunk = Json::parse(data, nullptr, false);
    if (!chunk.is_object()) return;
    absorb(chunk);
  }

  // A streamed chunk or a whole (non-stream) completion.
  void absorb(const Json& chunk) {
    if (chunk.contains("model") && chunk["model"].is_string()) model = chunk["model"];
    if (chunk.contains("choices") && chunk["choices"].is_array()) {
      for (const Json& choice : chunk["choices"]) {
        for (const char* key : {"delta", "message"}) {
          if (!choice.contains(key) || !choice[key].is_object()) continue;
          const Json& part = choice[key];
          if (part.contains("content") && part["content"].is_string()) {
            std::string delta = part["content"];
            text += delta;
            if (on_delta && !delta.empty()) on_delta(delta);
          }
        }
      }
    }
    if (chunk.contains("usage") && chunk["usage"].is_object()) {
      const Json& u = chunk["usage"];
      usage.input = u.value("prompt_tokens", int64_t{0});
      usage.output = u.value("completion_tokens", int64_t{0});
    }
  }
};

struct Attempt {
  CURLcode code = CURLE_OK;
  long status = 0;
  Exchange exchange;
};

void perform(CURL* curl, const std::string& url, const std::string* body,
             const std::vector<std::string>& header_lines, std::chrono::milliseconds timeout,
             Attempt& attempt) {
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect could carry the key away
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, std::min<long>(10000, timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, std::max<long>(1, timeout.count()));
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Exchange::on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &attempt.exchange);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Exchange::on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &attempt.exchange);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &Exchange::on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &attempt.exchange);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  if (body) {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }
  curl_slist* headers = nullptr;
  for (const std::string& line : header_lines) headers = curl_slist_append(headers, line.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  attempt.code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &attempt.status);
  curl_slist_free_all(headers);
}

// Sleeps `wait`, waking early (false) when cancelled.
bool sleep_unless_cancelled(std::chrono::milliseconds wait, const process::CancelToken* cancel) {
  if (!cancel) {
    std::this_thread::sleep_for(wait);
    return true;
  }
  pollfd fd{cancel->fd(), POLLIN, 0};
  ::poll(&fd, 1, static_cast<int>(wait.count()));
  return !cancel->cancelled();
}

FailureCategory category_for_status(long status, const std::string& body) {
  if (status == 429) return FailureCategory::kRateLimited;
  if (status == 401 || status == 403) return FailureCategory::kNotAuthenticated;
  if (status == 402) return FailureCategory::kRateLimited;  // out of credit: quota
  if (status == 404 || status == 400) {
    if (auto found = classify_provider_text(body)) return *found;
  }
  if (status == 408 || status == 504) return FailureCategory::kTimeout;
  return FailureCategory::kError;
}

bool retryable_status(long status) {
  return status == 429 || status == 408 || (status >= 500 && status <= 599);
}

std::vector<std::string> header_lines(
    const std::string& api_key, bool stream,
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> lines = {
      "Content-Type: application/json",
      stream ? "Accept: text/event-stream" : "Accept: application/json"};
  if (!api_key.empty()) lines.push_back("Authorization: Bearer " + api_key);
  for (const auto& [name, value] : extra) lines.push_back(name + ": " + value);
  return lines;
}

}  // namespace

std::optional<int64_t> parse_retry_after(std::string_view value, int64_t now_epoch_s) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  int64_t seconds = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error == std::errc() && end == value.data() + value.size() && seconds >= 0) return seconds;
  std::string text(value);
  time_t when = curl_getdate(text.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  return std::max<int64_t>(0, static_cast<int64_t>(when) - now_epoch_s);
}

ChatResponse chat_completion(const ChatRequest& request) {
  ensure_curl();
  ChatResponse response;
  Json body = Json::object();
  body["model"] = request.model;
  Json messages = Json::array();
  if (!request.system.empty())
    messages.push_back({{"role", "system"}, {"content", request.system}});
  messages.push_back({{"role", "user"}, {"content", request.user}});
  body["messages"] = messages;
  body["stream"] = true;
  body["stream_options"] = {{"include_usage", true}};
  std::string payload = body.dump();
  std::string url = join_url(request.base_url, "/chat/completions");
  auto lines = header_lines(request.api_key, true, request.headers);

  CURL* curl = curl_easy_init();
  if (!curl) {
    response.failure = FailureCategory::kError;
    response.summary = "libcurl could not start";
    return response;
  }
  auto deadline = SteadyClock::now() + request.timeout;
  std::mt19937 jitter(std::random_device{}());
  for (int attempt_number = 0; attempt_number < std::max(1, request.max_attempts);
       ++attempt_number) {
    auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (remaining.count() <= 0) {
      response.failure = FailureCategory::kTimeout;
      response.summary = fmt::format("no answer within {} ms", request.timeout.count());
      break;
    }
    Attempt attempt;
    attempt.exchange.cancel = request.cancel;
    attempt.exchange.on_delta = request.on_delta;
    perform(curl, url, &payload, lines, remaining, attempt);
    response.attempts = attempt_number + 1;
    response.status = static_cast<int>(attempt.status);
    if (attempt.exchange.retry_after) {
      response.retry_after_s = parse_retry_after(*attempt.exchange.retry_after, std::time(nullptr));
    }
    if (request.cancel && request.cancel->cancelled()) {
      response.cancelled = true;
      response.failure = FailureCategory::kError;
      response.summary = "cancelled";
      break;
    }
    if (attempt.code == CURLE_OK && attempt.status >= 200 && attempt.status < 300) {
      Exchange& exchange = attempt.exchange;
      if (!exchange.event_stream) {
        Json whole = Json::parse(exchange.raw, nullptr, false);
        if (whole.is_object()) exchange.absorb(whole);
      }
      response.ok = true;
      response.text = exchange.text;
      response.model = exchange.model;
      response.usage = exchange.usage;
      response.failure = FailureCategory::kNone;
      response.summary = fmt::format("HTTP {}", attempt.status);
      break;
    }
    bool transport_error = attempt.code != CURLE_OK;
    if (transport_error && attempt.code == CURLE_OPERATION_TIMEDOUT) {
      response.failure = FailureCategory::kTimeout;
      response.summary = fmt::format("no answer within {} ms", request.timeout.count());
      break;
    }
    if (transport_error && attempt.status == 0) {
      response.failure = FailureCategory::kError;
      response.summary =
          fmt::format("could not reach {}: {}", request.base_url, curl_easy_strerror(attempt.code));
    } else {
      response.failure = category_for_status(attempt.status, attempt.exchange.raw);
      response.summary = fmt::format("HTTP {}", attempt.status);
      response.error_body = attempt.exchange.raw;
    }
    bool retry = transport_error ? attempt.status == 0 : retryable_status(attempt.status);
    if (!retry || attempt_number + 1 >= request.max_attempts) break;
    std::chrono::milliseconds wait;
    if (response.retry_after_s && attempt.status == 429) {
      wait = std::chrono::seconds(*response.retry_after_s);
    } else {
      auto base = request.backoff_base * (1 << attempt_number);
      std::uniform_int_distribution<int64_t> spread(0, base.count());
      wait = std::min(request.max_backoff, base + std::chrono::milliseconds(spread(jitter)));
    }
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (wait >= left) {
      // Waiting out the reset would pass the deadline: report what the server said.
      response.summary +=
          fmt::format(" (retry in {} s would pass the time limit)",
                      std::chrono::duration_cast<std::chrono::seconds>(wait).count());
      break;
    }
    if (!sleep_unless_cancelled(wait, request.cancel)) {
      response.cancelled = true;
      response.failure = FailureCategory::kError;
      response.summary = "cancelled";
      break;
    }
  }
  if (!response.ok && response.attempts > 1) {
    response.summary += fmt::format(" after {} attempts", response.attempts);
  }
  curl_easy_cleanup(curl);
  return response;
}

ModelListing list_models(const std::string& base_url, const std::string& api_key,
                         std::chrono::milliseconds timeout) {
  ensure_curl();
  ModelListing listing;
  CURL* curl = curl_easy_init();
  if (!curl) {
    listing.summary = "libcurl could not start";
    return listing;
  }
  Attempt attempt;
  perform(curl, join_url(base_url, "/models"), nullptr, header_lines(api_key, false, {}), timeout,
          attempt);
  curl_easy_cleanup(curl);
  listing.status = static_cast<int>(attempt.status);
  if (attempt.exchange.retry_after) {
    listing.retry_after_s = parse_retry_after(*attempt.exchange.retry_after, std::time(nullptr));
  }
  if (attempt.code != CURLE_OK && attempt.status == 0) {
    listing.failure = attempt.code == CURLE_OPERATION_TIMEDOUT ? FailureCategory::kTimeout
                                                               : FailureCategory::kError;
    listing.summary =
        fmt::format("could not reach {}: {}", base_url, curl_easy_strerror(attempt.code));
    return listing;
  }
  if (attempt.status < 200 || attempt.status >= 300) {
    listing.failure = category_for_status(attempt.status, attempt.exchange.raw);
    listing.summary = fmt::format("GET /models: HTTP {}", attempt.status);
    return listing;
  }
  Json document = Json::parse(attempt.exchange.raw, nullptr, false);
  const Json* list = nullptr;
  if (document.is_object() && document.contains("data")) list = &document["data"];
  if (document.is_object() && document.contains("models")) list = &document["models"];
  if (!list || !list->is_array()) {
    listing.failure = FailureCategory::kError;
    listing.summary = "GET /models: no model list in the answer";
    return listing;
  }
  for (const Json& entry : *list) {
    if (entry.is_object()) {
      for (const char* key : {"id", "name", "model"}) {
        if (entry.contains(key) && entry[key].is_string()) {
          listing.models.push_back(entry[key]);
          break;
        }
      }
    } else if (entry.is_string()) {
      listing.models.push_back(entry);
    }
  }
  listing.ok = true;
  listing.summary = fmt::format("GET /models: {} model(s)", listing.models.size());
  return listing;
}

}  // namespace omk::providers
