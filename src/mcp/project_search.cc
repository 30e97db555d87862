#include "mcp/project_search.h"

#include <fmt/format.h>
#include <hs/hs.h>

#include <memory>
#include <set>

#include "core/output.h"
#include "mcp/file_read.h"
#include "mcp/glob.h"
#include "mcp/server.h"

namespace omk::mcp {
namespace {

constexpr size_t kMaxFileBytes = 4 * 1024 * 1024;
constexpr size_t kMaxLineText = 240;
constexpr size_t kMaxFiles = 50000;

struct DatabaseDeleter {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
};
struct ScratchDeleter {
  void operator()(hs_scratch_t* scratch) const { hs_free_scratch(scratch); }
};

bool looks_binary(const std::string& text) {
  return text.find('\0', 0) < std::min<size_t>(text.size(), 8192);
}

struct ScanState {
  std::set<size_t> line_ends;  // end offsets, one per matching line
  size_t limit;
};

int on_match(unsigned int, unsigned long long, unsigned long long to, unsigned int, void* context) {
  auto* state = static_cast<ScanState*>(context);
  state->line_ends.insert(static_cast<size_t>(to));
  return state->line_ends.size() >= state->limit ? 1 : 0;  // nonzero stops the scan
}

}  // namespace

SearchResult search_project(const ProjectFiles& files, const SearchRequest& request) {
  if (request.pattern.empty()) throw InvalidParams("Invalid params: 'pattern' is empty");
  unsigned flags = HS_FLAG_MULTILINE;
  if (!request.case_sensitive) flags |= HS_FLAG_CASELESS;
  hs_database_t* raw_db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile(request.pattern.c_str(), flags, HS_MODE_BLOCK, nullptr, &raw_db, &error) !=
      HS_SUCCESS) {
    std::string why = error && error->message ? error->message : "unsupported pattern";
    hs_free_compile_error(error);
    throw ToolError("the pattern cannot be used: " + why +
                    " (regular expressions without backreferences or lookaround)");
  }
  std::unique_ptr<hs_database_t, DatabaseDeleter> db(raw_db);
  hs_scratch_t* raw_scratch = nullptr;
  if (hs_alloc_scratch(db.get(), &raw_scratch) != HS_SUCCESS) {
    throw ToolError("search is not available (vectorscan could not allocate scratch space)");
  }
  std::unique_ptr<hs_scratch_t, ScratchDeleter> scratch(raw_scratch);

  SearchResult result;
  bool listing_truncated = false;
  for (const std::string& path : files.list(request.directory, kMaxFiles, listing_truncated)) {
    if (!request.glob.empty() && !glob_match(request.glob, path)) continue;
    FileText read;
    try {
      read = files.read(path, kMaxFileBytes);  // secret files and symlinks out are skipped
    } catch (const ToolError&) {
      ++result.files_skipped;
      continue;
    }
    if (!read.text || looks_binary(*read.text)) {
      ++result.files_skipped;
      continue;
    }
    ++result.files_searched;
    const std::string& text = *read.text;
    if (text.empty()) continue;
    ScanState state{{}, request.max_results - result.matches.size() + 1};
    hs_scan(db.get(), text.data(), static_cast<unsigned int>(text.size()), 0, scratch.get(),
            on_match, &state);
    // Map end offsets to lines (each line once).
    size_t line = 1;
    size_t line_start = 0;
    size_t scanned = 0;
    size_t last_line = 0;
    for (size_t end : state.line_ends) {
      size_t at = end > 0 ? end - 1 : 0;
      for (; scanned < at; ++scanned) {
        if (text[scanned] == '\n') {
          ++line;
          line_start = scanned + 1;
        }
      }
      if (line == last_line) continue;
      last_line = line;
      size_t line_end = text.find('\n', line_start);
      std::string content = text.substr(
          line_start, (line_end == std::string::npos ? text.size() : line_end) - line_start);
      if (content.size() > kMaxLineText) content = content.substr(0, kMaxLineText) + "…";
      if (result.matches.size() >= request.max_results) {
        result.truncated = true;
        return result;
      }
      result.matches.push_back({path, line, filter_output(content)});
    }
  }
  result.truncated = result.truncated || listing_truncated;
  return result;
}

}  // namespace omk::mcp
