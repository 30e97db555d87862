#include "dag/duration.h"

#include <cctype>
#include <limits>

namespace omk::dag {

std::optional<int64_t> parse_duration_ms(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool bare = true;
  for (char c : text) bare = bare && std::isdigit(static_cast<unsigned char>(c));
  constexpr int64_t kLimit = int64_t{1} << 50;  // far beyond any sensible timeout
  if (bare) {
    if (text.size() > 12) return std::nullopt;
    return std::stoll(std::string(text)) * 1000;
  }
  int64_t total = 0;
  size_t at = 0;
  while (at < text.size()) {
    size_t digits = at;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
      ++digits;
    }
    if (digits == at || digits - at > 12) return std::nullopt;
    int64_t value = std::stoll(std::string(text.substr(at, digits - at)));
    size_t unit_end = digits;
    while (unit_end < text.size() && std::isalpha(static_cast<unsigned char>(text[unit_end]))) {
      ++unit_end;
    }
    std::string_view unit = text.substr(digits, unit_end - digits);
    int64_t scale = 0;
    if (unit == "ms") {
      scale = 1;
    } else if (unit == "s") {
      scale = 1000;
    } else if (unit == "m") {
      scale = 60 * 1000;
    } else if (unit == "h") {
      scale = 3600 * 1000;
    } else {
      return std::nullopt;
    }
    total += value * scale;
    if (total > kLimit) return std::nullopt;
    at = unit_end;
  }
  return total;
}

std::string format_duration_ms(int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  struct Unit {
    int64_t size;
    const char* name;
  };
  for (Unit unit : {Unit{3600000, "h"}, Unit{60000, "m"}, Unit{1000, "s"}, Unit{1, "ms"}}) {
    if (ms >= unit.size) {
      out += std::to_string(ms / unit.size) + unit.name;
      ms %= unit.size;
    }
  }
  return out;
}

}  // namespace omk::dag
