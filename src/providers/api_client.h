#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "process/cancel.h"
#include "providers/failure.h"
#include "providers/turn.h"

namespace omk::providers {

// One OpenAI-compatible Chat Completions call (DeepSeek, OpenRouter, Moonshot, llama.cpp,
// Ollama ...) over libcurl: streamed (SSE), bounded by a deadline, cancellable, retried on 429
// and 5xx with exponential backoff that honours Retry-After.
struct ChatRequest {
  std::string base_url;  // ".../v1"; the path /chat/completions is appended
  std::string api_key;   // "": no Authorization header (a local server)
  std::string model;
  std::string system;
  std::string user;
  std::chrono::milliseconds timeout{120000};  // for the whole call, retries included
  int max_attempts = 3;
  // Backoff without Retry-After: base * 2^attempt plus jitter, at most `max_backoff`.
  std::chrono::milliseconds backoff_base{1000};
  std::chrono::milliseconds max_backoff{30000};
  const process::CancelToken* cancel = nullptr;
  std::vector<std::pair<std::string, std::string>> headers;  // extra, e.g. X-Title
  std::function<void(std::string_view)> on_delta;            // streamed assistant text
};

struct ChatResponse {
  bool ok = false;
  int status = 0;  // the last HTTP status (0: no response)
  std::string text;
  std::string model;  // as the server reported it
  TokenUsage usage;
  FailureCategory failure = FailureCategory::kNone;
  std::string summary;                   // omk's words: "HTTP 429 after 3 attempts"
  std::string error_body;                // the server's error text: only for OMK_DEBUG previews
  std::optional<int64_t> retry_after_s;  // the last Retry-After seen
  int attempts = 0;
  bool cancelled = false;
};

ChatResponse chat_completion(const ChatRequest& request);

// GET <base>/models (for --probe): the model ids, or why not.
struct ModelListing {
  bool ok = false;
  int status = 0;
  std::vector<std::string> models;
  FailureCategory failure = FailureCategory::kNone;
  std::string summary;
  std::optional<int64_t> retry_after_s;
};
ModelListing list_models(const std::string& base_url, const std::string& api_key,
                         std::chrono::milliseconds timeout);

// Retry-After: delta-seconds or an HTTP-date, as seconds from `now_epoch_s`; nullopt if neither.
std::optional<int64_t> parse_retry_after(std::string_view value, int64_t now_epoch_s);

}  // namespace omk::providers
