#include "safety/secret_text.h"

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
