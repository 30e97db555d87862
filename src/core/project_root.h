#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace omk {

enum class RootSource { kFlag, kEnv, kMarker, kGit, kCwd };

std::string to_string(RootSource source);

struct ProjectRoot {
  std::filesystem::path path;  // absolute, symlinks resolved
  RootSource source;
};

struct RootQuery {
  std::filesystem::path cwd;
  std::optional<std::filesystem::path> home;              // $HOME, never used as an implicit root
  std::optional<std::filesystem::path> flag;              // --project DIR
  std::optional<std::filesystem::path> env_project_root;  // OMK_PROJECT_ROOT
};

// Finds the project omk works on:
//  1. --project, then OMK_PROJECT_ROOT (must exist and be a directory; HOME is allowed here
//     because the user named it);
//  2. walking up from cwd, the first directory holding .omk/config.toml or .kimi/, stopping at
//     the enclosing git top level (a marker above a repository belongs to another project) and
//     skipping HOME (whose ~/.omk and ~/.kimi are user-level files, not a project);
//  3. the git top level (a directory holding .git; no process is spawned);
//  4. cwd.
// An implicit result equal to HOME throws UserError asking for --project or OMK_PROJECT_ROOT.
ProjectRoot resolve_project_root(const RootQuery& query);

// The query for this process: cwd, $HOME, OMK_PROJECT_ROOT.
RootQuery root_query_from_process(const std::optional<std::filesystem::path>& flag);

}  // namespace omk
