#pragma once

#include <string>
#include <vector>

#include "core/json_output.h"
#include "mcp/project_files.h"

namespace omk::mcp {

struct SearchRequest {
  std::string pattern;  // a regular expression (vectorscan/PCRE syntax, no backreferences)
  std::string glob;     // only files matching it ("" for all)
  std::string directory;
  bool case_sensitive = true;
  size_t max_results = 100;
};

struct SearchMatch {
  std::string path;
  size_t line = 0;
  std::string text;  // the line, trimmed to a bounded length, through the redactor
};

struct SearchResult {
  std::vector<SearchMatch> matches;
  bool truncated = false;
  size_t files_searched = 0;
  size_t files_skipped = 0;  // binary, too large, secret-bearing
};

// Searches the listed (not ignored) files of the project with vectorscan: linear time whatever
// the pattern, so an agent's regex cannot stall the server. Throws ToolError for a pattern
// vectorscan cannot compile.
SearchResult search_project(const ProjectFiles& files, const SearchRequest& request);

}  // namespace omk::mcp
