#pragma once

#include <string>
#include <string_view>

namespace omk::safety {

// Shannon entropy of `text` in bits per byte (0 for empty text). gitleaks' measure: random
// base62 tokens score about 5, hex about 3.7-4, English words about 3, "xxxxxxxx" 0.
double shannon_entropy(std::string_view text);

// ASCII case-insensitive substring search; `needle` must already be lower case.
bool contains_lowercase(std::string_view haystack, std::string_view needle);

std::string ascii_lower(std::string_view text);

// The first position in [from, to] where `needle` (lower case) starts, compared ASCII
// case-insensitively; npos when there is none.
size_t find_lowercase(std::string_view text, std::string_view needle, size_t from, size_t to);

// The last position in [from, to] where `needle` (lower case) starts, compared ASCII
// case-insensitively; npos when there is none.
size_t rfind_lowercase(std::string_view text, std::string_view needle, size_t from, size_t to);

// [begin, end) of the line holding `offset` (without its newline).
size_t line_start(std::string_view text, size_t offset);
size_t line_end(std::string_view text, size_t offset);

}  // namespace omk::safety
