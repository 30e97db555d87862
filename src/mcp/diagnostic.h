#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_output.h"

namespace omk::mcp {

enum class Level { kError, kWarning, kInfo };
std::string_view to_string(Level level);

// A problem with a tool-plane file (MCP config, skill, hook registration). It names the file and
// says what is wrong, but never quotes the file: configs hold tokens, and a parser's excerpt of
// the offending text would print them.
struct Diagnostic {
  Level level = Level::kError;
  std::string code;    // stable identifier, e.g. "mcp_config_invalid_json"
  std::string path;    // as displayed: root-relative, "~/…" under HOME, else absolute
  std::string reason;  // one sentence, no file content
};

Json to_json(const Diagnostic& diagnostic);
std::string format_diagnostic(const Diagnostic& diagnostic);  // "error [code] path: reason"
size_t count_level(const std::vector<Diagnostic>& diagnostics, Level level);

// Where the tool plane's files live: the project and, for trusted local-user scopes, HOME.
struct Locations {
  std::filesystem::path root;
  std::optional<std::filesystem::path> home;
};

// How a path is shown to the user: relative inside the project, "~/…" under HOME, else absolute.
std::string display_path(const std::filesystem::path& path, const Locations& locations);

// Line and column of a byte offset in `text` (1-based), for parser errors that must not quote.
std::pair<size_t, size_t> line_and_column(std::string_view text, size_t offset);

// Parses JSON without ever quoting it: on failure, `problem` says where ("line 3, column 7") or
// what ("a number out of range"), never the text around it (which can hold a token).
std::optional<Json> parse_json_quietly(std::string_view text, std::string& problem);

}  // namespace omk::mcp
