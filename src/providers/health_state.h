#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "providers/health.h"

namespace omk::providers {

// What omk observed about a provider's quota: the last 429 or quota error and when it resets.
// Persisted in .omk/state/provider-health.json so the next run (and `omk doctor`) knows.
struct RateLimitRecord {
  int64_t observed_at = 0;   // epoch seconds
  int64_t reset_at = 0;      // epoch seconds
  bool reset_known = false;  // from Retry-After; else assumed (kAssumedWindow)
  std::string reason;        // omk's words ("HTTP 429 from the API")
};

class HealthState {
 public:
  // When a provider gives no reset time, omk assumes this long.
  static constexpr int64_t kAssumedWindowSeconds = 60;

  static std::filesystem::path path_for(const std::filesystem::path& root);
  // A missing or invalid file is an empty state.
  static HealthState load(const std::filesystem::path& root);

  std::optional<RateLimitRecord> rate_limit(const std::string& provider) const;
  void record_rate_limit(const std::string& provider, int64_t now,
                         std::optional<int64_t> retry_after_s, const std::string& reason);
  void clear(const std::string& provider);
  // Atomic write; creates .omk/state. Throws UserError when it cannot write.
  void save() const;

  // The rate_limited answer at `now`.
  Answer answer(const std::string& provider, int64_t now) const;

 private:
  std::filesystem::path path_;
  std::map<std::string, RateLimitRecord> records_;
};

// The record and its save in one step (after a run), best effort: a read-only project loses
// the record with a warning rather than failing the run.
void record_outcome_rate_limit(const std::filesystem::path& root, const std::string& provider,
                               bool rate_limited, std::optional<int64_t> retry_after_s,
                               const std::string& reason);

}  // namespace omk::providers
