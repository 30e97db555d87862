#include "cli/stdin_input.h"

#include <unistd.h>

#include <cerrno>

namespace omk::cli {

std::optional<std::string> read_stdin(size_t limit) {
  std::string text;
  bool too_large = false;
  char buffer[65536];
  while (true) {
    ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (too_large) continue;
    if (text.size() + static_cast<size_t>(n) > limit) {
      too_large = true;
      text.clear();
      text.shrink_to_fit();
      continue;
    }
    text.append(buffer, static_cast<size_t>(n));
  }
  if (too_large) return std::nullopt;
  return text;
}

}  // namespace omk::cli
