#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "core/environment.h"

namespace omk::providers {

// What `git status` says is changed or untracked in a workspace, path by path with a content
// fingerprint, so a turn's own changes are the difference between two snapshots (a file that
// was already dirty counts when the turn changed it again). nullopt outside a git work tree.
struct WorkspaceSnapshot {
  std::set<std::pair<std::string, std::string>> entries;  // (path, status + size + mtime)
};

std::optional<WorkspaceSnapshot> snapshot_workspace(const std::filesystem::path& workspace,
                                                    const EnvMap& omk_env);

// Paths (relative to the workspace, sorted) whose entry differs between the snapshots.
std::set<std::string> changed_paths(const WorkspaceSnapshot& before,
                                    const WorkspaceSnapshot& after);

}  // namespace omk::providers
