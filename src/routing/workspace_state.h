#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace omk::routing {

// The state of a git workspace: HEAD and a tree object of its whole working directory
// (tracked files as they are on disk plus untracked, not-ignored ones; omk's own .omk/
// directories left out), written through a temporary index so the user's index is never touched.
// The blobs land in the repository's object store as unreferenced objects, which git's gc prunes.
struct WorkspaceSnapshot {
  std::string head;  // empty in a repository without commits
  std::string tree;
};

struct WorkspaceChange {
  bool known = false;    // false: git could not tell (not a repository, git failed)
  bool changed = false;  // HEAD moved or any file differs
  bool head_moved = false;
  std::vector<std::string> paths;  // changed paths, relative to the repository top
  std::string error;               // when !known
};

// Runs git in `repo`. Returns nullopt (with `error`) when it is not a git work tree or git
// fails.
std::optional<WorkspaceSnapshot> snapshot_workspace(const std::filesystem::path& repo,
                                                    std::string* error = nullptr);

// What changed since `before`.
WorkspaceChange workspace_change(const std::filesystem::path& repo,
                                 const WorkspaceSnapshot& before);

// `git status --porcelain`: the uncommitted paths right now (empty when clean); nullopt when
// git cannot tell.
std::optional<std::vector<std::string>> uncommitted_paths(const std::filesystem::path& repo);

}  // namespace omk::routing
