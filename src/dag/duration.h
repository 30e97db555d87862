#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace omk::dag {

// "250ms", "30s", "5m", "1h", "1h30m", or a bare number of seconds. nullopt for anything else.
std::optional<int64_t> parse_duration_ms(std::string_view text);
// The shortest exact spelling: 90000 -> "1m30s", 250 -> "250ms".
std::string format_duration_ms(int64_t ms);

}  // namespace omk::dag
