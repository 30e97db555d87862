#include "dag/path_glob.h"

#include <fnmatch.h>

#include <string>
#include <vector>

namespace omk::dag {
namespace {

std::vector<std::string> segments(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t slash = text.find('/', start);
    if (slash == std::string_view::npos) slash = text.size();
    if (slash > start) out.emplace_back(text.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool match_segments(const std::vector<std::string>& pattern, size_t p,
                    const std::vector<std::string>& path, size_t q) {
  while (p < pattern.size()) {
    if (pattern[p] == "**") {
      // Collapse runs of ** and try every split.
      while (p + 1 < pattern.size() && pattern[p + 1] == "**") ++p;
      if (p + 1 == pattern.size()) return true;
      for (size_t skip = q; skip <= path.size(); ++skip) {
        if (match_segments(pattern, p + 1, path, skip)) return true;
      }
      return false;
    }
    if (q >= path.size()) return false;
    if (::fnmatch(pattern[p].c_str(), path[q].c_str(), 0) != 0) return false;
    ++p;
    ++q;
  }
  return q == path.size();
}

}  // namespace

bool glob_matches(std::string_view pattern, std::string_view path) {
  if (pattern.empty()) return false;
  std::string anchored(pattern);
  if (anchored.find('/') == std::string::npos) anchored = "**/" + anchored;
  if (anchored.front() == '/') anchored.erase(0, 1);
  if (anchored.back() == '/') anchored += "**";
  return match_segments(segments(anchored), 0, segments(path), 0);
}

}  // namespace omk::dag
