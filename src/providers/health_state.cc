#include "providers/health_state.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "core/atomic_file.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/log.h"

namespace omk::providers {
namespace fs = std::filesystem;
namespace {

// Epoch seconds read from the state file are clamped to [0, 2100-01-01]: a corrupt or hostile
// file must not overflow the clock's nanoseconds.
constexpr int64_t kLatestEpoch = 4102444800;
int64_t sane_epoch(int64_t epoch) {
  return std::clamp<int64_t>(epoch, 0, kLatestEpoch);
}

std::string iso(int64_t epoch) {
  return utc_timestamp(std::chrono::system_clock::time_point(std::chrono::seconds(epoch)));
}

}  // namespace

fs::path HealthState::path_for(const fs::path& root) {
  return root / ".omk" / "state" / "provider-health.json";
}

HealthState HealthState::load(const fs::path& root) {
  HealthState state;
  state.path_ = path_for(root);
  try {
    auto text = read_file_if_exists(state.path_);
    if (!text) return state;
    Json document = Json::parse(*text, nullptr, false);
    if (!document.is_object() || !document.contains("providers") ||
        !document["providers"].is_object()) {
      return state;
    }
    for (const auto& [id, entry] : document["providers"].items()) {
      if (!entry.is_object() || !entry.contains("rate_limit")) continue;
      const Json& limit = entry["rate_limit"];
      if (!limit.is_object()) continue;
      RateLimitRecord record;
      if (!limit.value("observed_at_epoch", Json()).is_number_integer() ||
          !limit.value("reset_at_epoch", Json()).is_number_integer()) {
        continue;
      }
      record.observed_at = sane_epoch(limit["observed_at_epoch"].get<int64_t>());
      record.reset_at = sane_epoch(limit["reset_at_epoch"].get<int64_t>());
      record.reset_known = limit.value("reset_known", false);
      record.reason = limit.value("reason", "");
      state.records_[id] = record;
    }
  } catch (const UserError&) {
  }
  return state;
}

std::optional<RateLimitRecord> HealthState::rate_limit(const std::string& provider) const {
  auto it = records_.find(provider);
  if (it == records_.end()) return std::nullopt;
  return it->second;
}

void HealthState::record_rate_limit(const std::string& provider, int64_t now,
                                    std::optional<int64_t> retry_after_s,
                                    const std::string& reason) {
  RateLimitRecord record;
  record.observed_at = now;
  record.reset_known = retry_after_s.has_value();
  record.reset_at = now + retry_after_s.value_or(kAssumedWindowSeconds);
  record.reason = reason;
  records_[provider] = record;
}

void HealthState::clear(const std::string& provider) {
  records_.erase(provider);
}

void HealthState::save() const {
  Json document = json_envelope("provider-health");
  Json providers = Json::object();
  for (const auto& [id, record] : records_) {
    providers[id]["rate_limit"] = {
        {"observed_at", iso(record.observed_at)}, {"observed_at_epoch", record.observed_at},
        {"reset_at", iso(record.reset_at)},       {"reset_at_epoch", record.reset_at},
        {"reset_known", record.reset_known},      {"reason", record.reason}};
  }
  document["providers"] = providers;
  std::error_code ec;
  fs::create_directories(path_.parent_path(), ec);
  write_file_atomic(path_, document.dump(2) + "\n", 0644);
}

Answer HealthState::answer(const std::string& provider, int64_t now) const {
  auto record = rate_limit(provider);
  if (!record) return Answer::no("no rate limit recorded");
  if (record->reset_at > now) {
    return Answer::yes(fmt::format("{} at {}; resets at {} (in {} s){}", record->reason,
                                   iso(record->observed_at), iso(record->reset_at),
                                   record->reset_at - now,
                                   record->reset_known ? "" : ", assumed: no reset time given"));
  }
  return Answer::no(fmt::format("the last rate limit ({}) reset at {}", iso(record->observed_at),
                                iso(record->reset_at)));
}

void record_outcome_rate_limit(const fs::path& root, const std::string& provider, bool rate_limited,
                               std::optional<int64_t> retry_after_s, const std::string& reason) {
  try {
    HealthState state = HealthState::load(root);
    if (rate_limited) {
      state.record_rate_limit(provider, std::time(nullptr), retry_after_s, reason);
    } else {
      if (!state.rate_limit(provider)) return;
      state.clear(provider);
    }
    state.save();
  } catch (const UserError& error) {
    log::warn("the rate limit of {} was not recorded: {}", provider, error.what());
  }
}

}  // namespace omk::providers
