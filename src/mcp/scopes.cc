#include "mcp/scopes.h"

namespace omk::mcp {
namespace fs = std::filesystem;

std::string_view to_string(Origin origin) {
  return origin == Origin::kProject ? "project" : "user";
}

std::string_view to_string(HookFormat format) {
  switch (format) {
    case HookFormat::kKimiToml:
      return "kimi";
    case HookFormat::kCodexJson:
      return "codex";
    case HookFormat::kClaudeJson:
      return "claude";
  }
  return "kimi";
}

ScopeSettings scope_settings(const Config& config) {
  return {config.mcp_scope(), config.skills_scope(), config.hooks_scope()};
}

namespace {

// Relative locations, in precedence order.
const char* const kProjectMcp[] = {".omk/mcp.json", ".kimi/mcp.json"};
const char* const kUserMcp[] = {".omk/mcp.json", ".kimi/mcp.json"};
const char* const kProjectSkills[] = {".kimi/skills", ".agents/skills", ".claude/skills"};
const char* const kUserSkills[] = {".kimi/skills", ".agents/skills", ".claude/skills",
                                   ".codex/skills"};

struct HookLocation {
  const char* relative;
  HookFormat format;
};
// .kimi/hooks.toml is the guard registration `omk init` writes for omk's Kimi adapter to add to
// the config it starts Kimi with (docs/hooks.md): active for Kimi runs, so validated too.
const HookLocation kProjectHooks[] = {{".kimi/config.toml", HookFormat::kKimiToml},
                                      {".kimi/hooks.toml", HookFormat::kKimiToml},
                                      {".codex/hooks.json", HookFormat::kCodexJson},
                                      {".claude/settings.json", HookFormat::kClaudeJson},
                                      {".claude/settings.local.json", HookFormat::kClaudeJson}};
const HookLocation kUserHooks[] = {{".kimi/config.toml", HookFormat::kKimiToml},
                                   {".codex/hooks.json", HookFormat::kCodexJson},
                                   {".claude/settings.json", HookFormat::kClaudeJson}};

ActiveFile make(const fs::path& base, const char* relative, Origin origin,
                const Locations& locations) {
  fs::path path = base / relative;
  return {path, display_path(path, locations), origin};
}

template <typename List>
void add_files(std::vector<ActiveFile>& out, const fs::path& base, const List& list, Origin origin,
               const Locations& locations) {
  for (const char* relative : list) out.push_back(make(base, relative, origin, locations));
}

template <typename List>
void add_hooks(std::vector<ActiveHookFile>& out, const fs::path& base, const List& list,
               Origin origin, const Locations& locations) {
  for (const auto& location : list) {
    ActiveHookFile file;
    static_cast<ActiveFile&>(file) = make(base, location.relative, origin, locations);
    file.format = location.format;
    out.push_back(file);
  }
}

// User-level files are read only in "all" scope, and only when HOME is known and is not the
// project itself (then the "user" files are the project's and would be counted twice).
bool reads_user_files(Scope scope, const Locations& locations) {
  return scope == Scope::kAll && locations.home && !locations.home->empty() &&
         fs::path(*locations.home).lexically_normal() != locations.root.lexically_normal();
}

}  // namespace

ToolPlaneFiles active_tool_plane_files(const Locations& locations, const ScopeSettings& scopes) {
  ToolPlaneFiles files;
  const fs::path& root = locations.root;
  if (scopes.mcp != Scope::kNone) {
    if (reads_user_files(scopes.mcp, locations)) {
      add_files(files.mcp, *locations.home, kUserMcp, Origin::kUser, locations);
    }
    add_files(files.mcp, root, kProjectMcp, Origin::kProject, locations);
  }
  if (scopes.skills != Scope::kNone) {
    if (reads_user_files(scopes.skills, locations)) {
      add_files(files.skill_dirs, *locations.home, kUserSkills, Origin::kUser, locations);
    }
    add_files(files.skill_dirs, root, kProjectSkills, Origin::kProject, locations);
  }
  if (scopes.hooks != Scope::kNone) {
    if (reads_user_files(scopes.hooks, locations)) {
      add_hooks(files.hooks, *locations.home, kUserHooks, Origin::kUser, locations);
    }
    add_hooks(files.hooks, root, kProjectHooks, Origin::kProject, locations);
  }
  return files;
}

fs::path project_mcp_file(const Locations& locations) {
  return locations.root / kProjectMcp[1];
}

fs::path user_mcp_file(const Locations& locations) {
  return locations.home.value_or(fs::path()) / kUserMcp[1];
}

}  // namespace omk::mcp
