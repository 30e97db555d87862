#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_output.h"
#include "mcp/diagnostic.h"

namespace omk::mcp {

enum class ImportSource { kCodex, kClaude, kKimi };
std::optional<ImportSource> parse_import_source(std::string_view text);
std::string_view to_string(ImportSource source);

// Where another agent keeps its MCP servers: the project's own file when it has one, else the
// user's. `--file` overrides.
std::filesystem::path default_import_file(ImportSource source, const Locations& locations);

struct ImportedServer {
  std::string name;
  Json entry;  // omk's common shape
};

struct ImportSkip {
  std::string name;
  std::string reason;
};

struct ImportPlan {
  std::vector<ImportedServer> servers;
  std::vector<ImportSkip> skipped;
};

// Reads another agent's config and converts its servers. Unreadable or malformed input throws a
// UserError (exit 2) naming the file, never quoting it.
ImportPlan read_import(ImportSource source, const std::filesystem::path& file,
                       const std::string& display, const Locations& locations);

}  // namespace omk::mcp
