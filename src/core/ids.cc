#include "core/ids.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sys/random.h>

#include <chrono>
#include <cstdint>
#include <ctime>

namespace omk {
namespace {

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

std::string new_run_id() {
  uint32_t random = 0;
  while (::getrandom(&random, sizeof random, 0) != static_cast<ssize_t>(sizeof random)) {
  }
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  // The milliseconds keep two runs started in the same second in start order.
  return fmt::format("{:%Y%m%d-%H%M%S}-{:03d}{:06x}", tm, static_cast<int>(millis.count()),
                     random & 0xffffffu);
}

bool is_valid_node_id(std::string_view id) {
  if (id.empty() || id.size() > 128 || !is_alnum(id.front())) return false;
  for (char c : id) {
    if (!is_id_char(c)) return false;
  }
  return true;
}

bool is_valid_run_id(std::string_view id) {
  // Same alphabet as node ids; ".." and friends are excluded by the leading-alnum rule.
  return is_valid_node_id(id);
}

}  // namespace omk
