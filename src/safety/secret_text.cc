#include "safety/secret_text.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace omk::safety {

double shannon_entropy(std::string_view text) {
  if (text.empty()) return 0;
  std::array<size_t, 256> counts{};
  for (unsigned char c : text) ++counts[c];
  double entropy = 0;
  const double size = static_cast<double>(text.size());
  for (size_t count : counts) {
    if (count == 0) continue;
    double p = static_cast<double>(count) / size;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

static char lower_char(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower_char(c);
  return out;
}

bool contains_lowercase(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && lower_char(haystack[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

size_t find_lowercase(std::string_view text, std::string_view needle, size_t from, size_t to) {
  if (needle.empty() || text.size() < needle.size()) return std::string_view::npos;
  to = std::min(to, text.size() - needle.size());
  if (from > to) return std::string_view::npos;
  const char lower = needle[0];
  const char upper = (lower >= 'a' && lower <= 'z') ? static_cast<char>(lower - 'a' + 'A') : lower;
  const char* end = text.data() + to + 1;
  // The next occurrence of each case of the first byte; each is searched again only once it
  // has been passed, so the scan stays linear.
  auto next = [&](char c, const char* at) -> const char* {
    const void* hit = at < end ? std::memchr(at, c, static_cast<size_t>(end - at)) : nullptr;
    return hit == nullptr ? end : static_cast<const char*>(hit);
  };
  const char* a = next(lower, text.data() + from);
  const char* b = upper == lower ? end : next(upper, text.data() + from);
  while (a < end || b < end) {
    const char* hit = std::min(a, b);
    size_t i = static_cast<size_t>(hit - text.data());
    size_t j = 1;
    while (j < needle.size() && lower_char(text[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return i;
    if (hit == a) a = next(lower, a + 1);
    if (hit == b) b = next(upper, b + 1);
  }
  return std::string_view::npos;
}

size_t rfind_lowercase(std::string_view text, std::string_view needle, size_t from, size_t to) {
  if (needle.empty() || text.size() < needle.size()) return std::string_view::npos;
  to = std::min(to, text.size() - needle.size());
  for (size_t i = to + 1; i-- > from;) {
    size_t j = 0;
    while (j < needle.size() && lower_char(text[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return i;
  }
  return std::string_view::npos;
}

size_t line_start(std::string_view text, size_t offset) {
  if (offset > text.size()) offset = text.size();
  if (offset == 0) return 0;
  const void* newline = ::memrchr(text.data(), '\n', offset);
  return newline == nullptr
             ? 0
             : static_cast<size_t>(static_cast<const char*>(newline) - text.data()) + 1;
}

size_t line_end(std::string_view text, size_t offset) {
  if (offset >= text.size()) return text.size();
  const void* newline = std::memchr(text.data() + offset, '\n', text.size() - offset);
  return newline == nullptr ? text.size()
                            : static_cast<size_t>(static_cast<const char*>(newline) - text.data());
}

}  // namespace omk::safety
