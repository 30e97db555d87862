#include "mcp/glob.h"

#include <fnmatch.h>

#include <string>
#include <vector>

namespace omk::mcp {
namespace {

// Length of the "[...]" class starting at pattern[i], or 0 when it is not a complete class.
size_t class_length(std::string_view pattern, size_t i) {
  size_t j = i + 1;
  if (j < pattern.size() && (pattern[j] == '!' || pattern[j] == '^')) ++j;
  if (j < pattern.size() && pattern[j] == ']') ++j;
  while (j < pattern.size() && pattern[j] != ']') ++j;
  return j < pattern.size() ? j - i + 1 : 0;
}

bool class_matches(std::string_view cls, char c) {
  std::string pattern(cls);
  if (pattern.size() > 2 && pattern[1] == '^') pattern[1] = '!';
  char text[2] = {c, '\0'};
  return ::fnmatch(pattern.c_str(), text, 0) == 0;
}

// Dynamic programming over (pattern position, path position): linear in both, no backtracking
// blow-up whatever the number of stars.
bool match(std::string_view p, std::string_view s) {
  const size_t m = p.size(), n = s.size();
  // reach[j]: the pattern prefix consumed so far matches s[0..j).
  std::vector<char> reach(n + 1, 0), next(n + 1, 0);
  reach[0] = 1;
  size_t i = 0;
  while (i < m) {
    std::fill(next.begin(), next.end(), 0);
    if (p[i] == '*') {
      bool globstar = i + 1 < m && p[i + 1] == '*';
      bool segments = globstar && i + 2 < m && p[i + 2] == '/';
      for (size_t j = 0; j <= n; ++j) {
        if (!reach[j]) continue;
        next[j] = 1;  // every star may match nothing
        for (size_t k = j; k < n; ++k) {
          if (segments) {
            // "**/": zero or more whole segments, each ending in '/'.
            if (s[k] == '/') next[k + 1] = 1;
          } else {
            if (!globstar && s[k] == '/') break;  // "*" stays within a segment
            next[k + 1] = 1;
          }
        }
      }
      i += segments ? 3 : (globstar ? 2 : 1);
    } else if (p[i] == '[' && class_length(p, i) > 0) {
      size_t length = class_length(p, i);
      std::string_view cls = p.substr(i, length);
      for (size_t j = 0; j < n; ++j) {
        if (reach[j] && s[j] != '/' && class_matches(cls, s[j])) next[j + 1] = 1;
      }
      i += length;
    } else {
      char c = p[i];
      for (size_t j = 0; j < n; ++j) {
        if (reach[j] && (c == '?' ? s[j] != '/' : s[j] == c)) next[j + 1] = 1;
      }
      ++i;
    }
    reach.swap(next);
  }
  return reach[n] != 0;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  if (pattern.find('/') == std::string_view::npos) {
    size_t slash = path.rfind('/');
    return match(pattern, slash == std::string_view::npos ? path : path.substr(slash + 1));
  }
  if (!pattern.empty() && pattern.front() == '/') pattern.remove_prefix(1);
  return match(pattern, path);
}

}  // namespace omk::mcp
