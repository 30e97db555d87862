#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace omk {

// Wall-clock time for records (UTC, RFC 3339 with milliseconds: 2026-11-25T22:09:56.123Z).
std::string utc_timestamp();
std::string utc_timestamp(std::chrono::system_clock::time_point at);

// Monotonic milliseconds for durations; never goes backwards.
int64_t monotonic_ms();

}  // namespace omk
