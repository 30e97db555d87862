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
  const char first_lower = needle[0];
  const char first_upper = (first_lower >= 'a' && first_lower <= 'z')
                               ? static_cast<char>(first_lower - 'a' + 'A')
                               : first_lower;
  for (size_t i = from; i <= to; ++i) {
    if (text[i] != first_lower && text[i] != first_upper) continue;
    size_t j = 1;
    while (j < needle.size() && lower_char(text[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return i;
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
