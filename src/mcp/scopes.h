#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "mcp/diagnostic.h"

namespace omk::mcp {

// Whose file it is: the project's, or the user's (read only in the trusted "all" scopes).
enum class Origin { kProject, kUser };
std::string_view to_string(Origin origin);

enum class HookFormat { kKimiToml, kCodexJson, kClaudeJson };
std::string_view to_string(HookFormat format);

struct ActiveFile {
  std::filesystem::path path;  // absolute
  std::string display;         // as shown to the user
  Origin origin = Origin::kProject;
};

struct ActiveHookFile : ActiveFile {
  HookFormat format = HookFormat::kKimiToml;
};

struct ScopeSettings {
  Scope mcp = Scope::kProject;
  Scope skills = Scope::kProject;
  Scope hooks = Scope::kProject;
};

ScopeSettings scope_settings(const Config& config);

// The tool-plane files that are active, in precedence order (a later MCP file wins per server
// name). Whether a file exists is not decided here: a missing file is simply skipped by its
// reader.
struct ToolPlaneFiles {
  std::vector<ActiveFile> mcp;
  std::vector<ActiveFile> skill_dirs;
  std::vector<ActiveHookFile> hooks;
};

// The one function that decides which files are active. Every consumer (list, doctor, check,
// test, the runtime, routing) goes through it, so they cannot disagree:
//   mcp    project: .omk/mcp.json, .kimi/mcp.json
//          all:     ~/.omk/mcp.json, ~/.kimi/mcp.json, then the project files
//   skills project: .kimi/skills, .agents/skills, .claude/skills
//          all:     the same folders under HOME (and ~/.codex/skills) first
//   hooks  project: .kimi/config.toml, .codex/hooks.json, .claude/settings.json,
//                   .claude/settings.local.json
//          all:     ~/.kimi/config.toml, ~/.codex/hooks.json, ~/.claude/settings.json first
//   none: nothing.
ToolPlaneFiles active_tool_plane_files(const Locations& locations, const ScopeSettings& scopes);

// The project file omk writes servers into (`omk mcp add/import/remove`, `omk init`): the
// highest-precedence project file, so what omk writes is what omk runs.
std::filesystem::path project_mcp_file(const Locations& locations);
// The user file written with --scope user.
std::filesystem::path user_mcp_file(const Locations& locations);

}  // namespace omk::mcp
