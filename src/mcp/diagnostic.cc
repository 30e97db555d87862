#include "mcp/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>

namespace omk::mcp {
namespace fs = std::filesystem;

std::string_view to_string(Level level) {
  switch (level) {
    case Level::kError:
      return "error";
    case Level::kWarning:
      return "warning";
    case Level::kInfo:
      return "info";
  }
  return "error";
}

Json to_json(const Diagnostic& diagnostic) {
  return Json{{"level", to_string(diagnostic.level)},
              {"code", diagnostic.code},
              {"path", diagnostic.path},
              {"reason", diagnostic.reason}};
}

std::string format_diagnostic(const Diagnostic& diagnostic) {
  return fmt::format("{} [{}] {}: {}", to_string(diagnostic.level), diagnostic.code,
                     diagnostic.path, diagnostic.reason);
}

size_t count_level(const std::vector<Diagnostic>& diagnostics, Level level) {
  return static_cast<size_t>(std::count_if(diagnostics.begin(), diagnostics.end(),
                                           [&](const Diagnostic& d) { return d.level == level; }));
}

namespace {

// The part of `path` below `base`, when it is below it (component-wise, not by string prefix).
std::optional<fs::path> below(const fs::path& path, const fs::path& base) {
  auto p = path.lexically_normal();
  auto b = base.lexically_normal();
  auto [base_end, path_at] = std::mismatch(b.begin(), b.end(), p.begin(), p.end());
  if (base_end != b.end()) {
    // A trailing empty component ("dir/") still counts as matched.
    if (!(std::next(base_end) == b.end() && base_end->empty())) return std::nullopt;
  }
  fs::path rest;
  for (auto it = path_at; it != p.end(); ++it) rest /= *it;
  return rest;
}

}  // namespace

std::string display_path(const fs::path& path, const Locations& locations) {
  if (auto rest = below(path, locations.root)) {
    return rest->empty() ? std::string(".") : rest->generic_string();
  }
  if (locations.home) {
    if (auto rest = below(path, *locations.home)) {
      return rest->empty() ? std::string("~") : "~/" + rest->generic_string();
    }
  }
  return path.generic_string();
}

std::pair<size_t, size_t> line_and_column(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::optional<Json> parse_json_quietly(std::string_view text, std::string& problem) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& error) {
    auto [line, column] = line_and_column(text, error.byte > 0 ? error.byte - 1 : 0);
    problem = fmt::format("line {}, column {}", line, column);
  } catch (const Json::exception&) {
    // out_of_range (a number too large) and friends: their messages quote the value.
    problem = "a value out of range";
  }
  return std::nullopt;
}

}  // namespace omk::mcp
