#include "providers/failure.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "core/output.h"

namespace omk::providers {
namespace {

constexpr std::array<std::pair<FailureCategory, std::string_view>, 8> kNames = {{
    {FailureCategory::kNotInstalled, "not-installed"},
    {FailureCategory::kNotAuthenticated, "not-authenticated"},
    {FailureCategory::kModelUnsupported, "model-unsupported"},
    {FailureCategory::kRateLimited, "rate-limited"},
    {FailureCategory::kTimeout, "timeout"},
    {FailureCategory::kCrashed, "crashed"},
    {FailureCategory::kRefusedByPolicy, "refused-by-policy"},
    {FailureCategory::kError, "error"},
}};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool contains_any(const std::string& haystack, std::initializer_list<std::string_view> needles) {
  return std::any_of(needles.begin(), needles.end(), [&](std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
  });
}

// An HTTP status as a word: not part of a longer number or an id (a port, a byte count, a
// session id's hex digits).
bool has_status_word(const std::string& text, std::string_view status) {
  auto part_of_word = [&](size_t at) {
    unsigned char c = static_cast<unsigned char>(text[at]);
    return std::isalnum(c) || c == '_' || c == '-';
  };
  for (size_t at = text.find(status); at != std::string::npos; at = text.find(status, at + 1)) {
    bool before = at == 0 || !part_of_word(at - 1);
    bool after = at + status.size() >= text.size() || !part_of_word(at + status.size());
    if (before && after) return true;
  }
  return false;
}

std::string clip(std::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  return std::string(text.substr(0, limit)) + fmt::format("… ({} more bytes)", text.size() - limit);
}

}  // namespace

std::string_view to_string(FailureCategory category) {
  for (const auto& [c, name] : kNames) {
    if (c == category) return name;
  }
  return "";
}

std::optional<FailureCategory> parse_failure_category(std::string_view text) {
  for (const auto& [c, name] : kNames) {
    if (name == text) return c;
  }
  return std::nullopt;
}

bool is_retryable(FailureCategory category) {
  return category == FailureCategory::kRateLimited || category == FailureCategory::kTimeout;
}

std::optional<FailureCategory> classify_provider_text(std::string_view raw) {
  std::string text = lower(raw);
  if (has_status_word(text, "429") ||
      contains_any(text, {"rate limit", "rate_limit", "ratelimit", "too many requests",
                          "quota exceeded", "exceeded your current quota", "insufficient_quota",
                          "resource_exhausted", "usage limit", "exceeded_current_quota"})) {
    return FailureCategory::kRateLimited;
  }
  if (has_status_word(text, "401") || has_status_word(text, "403") ||
      contains_any(text, {"not logged in", "please run /login", "unauthorized", "invalid api key",
                          "invalid_api_key", "incorrect api key", "authentication", "no auth type",
                          "auth method", "missing environment variable", "api key not valid",
                          "403 forbidden", "permission_denied"})) {
    return FailureCategory::kNotAuthenticated;
  }
  if (contains_any(text, {"model not found", "model_not_found", "unknown model",
                          "does not exist or you do not have access", "unsupported model",
                          "invalid model", "not a valid model"})) {
    return FailureCategory::kModelUnsupported;
  }
  return std::nullopt;
}

std::string debug_preview(const FailurePreview& preview, const EnvMap& omk_env, size_t limit) {
  if (!env_flag(omk_env, "OMK_DEBUG")) return "";
  std::string text;
  auto add = [&](std::string_view name, const std::string& stream) {
    std::string trimmed = stream;
    while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) {
      trimmed.pop_back();
    }
    if (trimmed.empty()) return;
    // filter_output is the installed redactor (core/output.h); the sink redacts again.
    text +=
        fmt::format("\n  {} (OMK_DEBUG, redacted):\n{}", name, filter_output(clip(trimmed, limit)));
  };
  add("stderr", preview.stderr_text);
  add("stdout", preview.stdout_text);
  return text;
}

std::string failure_message(std::string_view provider, FailureCategory category,
                            const FailurePreview& preview, const EnvMap& omk_env) {
  std::string message =
      fmt::format("{} failed ({}): {}", provider, to_string(category), preview.summary);
  if (env_flag(omk_env, "OMK_DEBUG")) {
    std::string shown = debug_preview(preview, omk_env);
    message += shown.empty() ? " (the provider printed nothing)" : shown;
  } else if (!preview.stderr_text.empty() || !preview.stdout_text.empty()) {
    message += "; set OMK_DEBUG=1 to see the provider's output (redacted)";
  }
  return message;
}

}  // namespace omk::providers
