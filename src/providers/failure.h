#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/environment.h"

namespace omk::providers {

// Why a provider run (or probe) did not succeed. The router decides on these: a rate-limited or
// timed-out provider may be retried or replaced; refused-by-policy never is.
enum class FailureCategory {
  kNone,
  kNotInstalled,
  kNotAuthenticated,
  kModelUnsupported,
  kRateLimited,
  kTimeout,
  kCrashed,  // killed by a signal, or exited without its result
  kRefusedByPolicy,
  kError,
};

// "not-installed", "not-authenticated", ... ("" for kNone).
std::string_view to_string(FailureCategory category);
std::optional<FailureCategory> parse_failure_category(std::string_view text);

// Whether trying the same provider again later can help (rate limits, timeouts, a legacy Kimi
// exit 75).
bool is_retryable(FailureCategory category);

// Classifies provider output that no adapter recognised: 429/quota → rate-limited,
// 401/403/"not logged in"/"api key" → not-authenticated, unknown model → model-unsupported.
// Lower-cased matching; nullopt when nothing matches.
std::optional<FailureCategory> classify_provider_text(std::string_view text);

// The message for a failed provider run. Provider output (stderr/stdout previews) is included
// only when OMK_DEBUG=1 is set in omk's own environment, and then only through the redactor;
// otherwise the message says how to see it. `summary` is omk's own description (never provider
// text), e.g. "codex exited 1".
struct FailurePreview {
  std::string summary;
  std::string stderr_text;
  std::string stdout_text;
};
std::string failure_message(std::string_view provider, FailureCategory category,
                            const FailurePreview& preview, const EnvMap& omk_env);

// The preview alone (empty without OMK_DEBUG=1): at most `limit` bytes of each stream, redacted.
std::string debug_preview(const FailurePreview& preview, const EnvMap& omk_env,
                          size_t limit = 2000);

}  // namespace omk::providers
