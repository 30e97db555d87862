#pragma once

#include <string>
#include <vector>

#include "core/json_output.h"
#include "routing/turn_changes.h"
#include "routing/turn_worktree.h"

namespace omk::routing {

enum class ApplyAction {
  kReplaced,  // the user had not touched the file: the agent's version was written
  kMerged,    // both changed it, in different places: a clean three-way merge was written
  kAdded,
  kDeleted,
  kUnchanged,  // the project already held the agent's result
};

std::string_view to_string(ApplyAction action);

struct AppliedFile {
  std::string path;
  ApplyAction action = ApplyAction::kReplaced;
};

struct ApplyConflict {
  std::string path;
  std::string reason;  // one sentence for the user
};

struct ApplyResult {
  bool applied = false;  // true: every file written; false: conflicts, nothing written
  std::vector<AppliedFile> files;
  std::vector<ApplyConflict> conflicts;
};

// Brings the agent's changes back into the project, three-way per file: base = the snapshot's
// version, ours = the user's file now, theirs = the worktree's. Unchanged by the user → the
// agent's version; changed by both → `git merge-file` of text files. All or nothing: every
// file is checked first, and when any conflicts (overlapping edits, a file one side deleted and
// the other changed, a binary or symlink changed on both sides, a path whose parent is no
// longer a plain directory) nothing is written and the conflicts come back; the worktree stays
// for the user to inspect. Writes are atomic per file (core/atomic_file.h) and keep the user's
// permission bits (the executable bit follows the merge of both sides); deletions delete. The
// user's index and HEAD are never touched.
//
// The two-argument form applies exactly `changes` (what the user was shown); the one-argument
// form computes them first.
ApplyResult apply_turn_changes(const TurnWorktree& wt, const TurnChanges& changes);
ApplyResult apply_turn_changes(const TurnWorktree& wt);

// applied, counts, files (path, action) and conflicts (path, reason); never file contents.
Json to_json(const ApplyResult& result);

}  // namespace omk::routing
