#pragma once

#include <string>
#include <vector>

#include "core/json_output.h"
#include "routing/turn_worktree.h"

namespace omk::routing {

enum class FileChangeStatus { kAdded, kModified, kDeleted, kTypeChanged };

std::string_view to_string(FileChangeStatus status);

// One path the agent changed, relative to the repository top. A rename is a deletion plus an
// addition.
struct FileChange {
  std::string path;
  FileChangeStatus status = FileChangeStatus::kModified;
  std::string old_mode;  // git modes ("100644", "100755", "120000"); empty when added
  std::string new_mode;  // empty when deleted
  std::string old_blob;  // object ids; empty when absent
  std::string new_blob;
  bool binary = false;
  int added_lines = 0;  // 0 for binary files
  int removed_lines = 0;
  bool mode_changed() const {
    return !old_mode.empty() && !new_mode.empty() && old_mode != new_mode;
  }
};

// What the agent changed in its worktree relative to the snapshot: committed and uncommitted
// work alike (a tree of the worktree's files, written through a temporary index), untracked
// files included, ignored files and .omk/ not.
struct TurnChanges {
  std::string snapshot_commit;
  std::string result_tree;  // the worktree's state these changes were computed from
  std::vector<FileChange> files;
  int added_lines = 0;
  int removed_lines = 0;
  bool empty() const { return files.empty(); }
  // "3 files changed, +12 -4" ("no changes" when empty).
  std::string summary() const;
};

// Throws UserError (exit 2) when git cannot read the worktree (removed, say).
TurnChanges turn_changes(const TurnWorktree& wt);

// Paths, statuses, modes and counts; never file contents.
Json to_json(const TurnChanges& changes);

}  // namespace omk::routing
