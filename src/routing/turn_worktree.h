#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace omk::routing {

// A write turn's disposable git worktree: a detached checkout of a snapshot commit holding the
// user's HEAD plus everything uncommitted (staged, unstaged, untracked and not ignored; .omk/
// left out). The agent edits there; turn_changes() and apply_turn_changes()
// (routing/turn_changes.h, routing/turn_apply.h) bring the result back.
struct TurnWorktree {
  std::filesystem::path project_root;  // as given to create_turn_worktree
  std::filesystem::path repo_root;     // the user's repository top level
  std::filesystem::path path;          // the worktree: <project>/.omk/worktrees/turns/<turn id>
  // Where the agent should run: `path` plus project_root's place inside the repository (the
  // same as `path` when the project is the repository's top level).
  std::filesystem::path work_dir;
  std::string snapshot_commit;  // what the worktree started from
  std::string head_commit;  // the user's HEAD at that moment; empty in a repository without commits
};

// Snapshots the project's repository through a temporary index in a private temp directory
// (`git add -A`, `write-tree`, `commit-tree`, with HEAD as parent when there is one) and checks
// the snapshot out with `git worktree add --detach` under <project>/.omk/worktrees/turns/
// (directories 0700 and ignored by git). The user's index, refs, stash list and working tree
// are never touched; the only trace in the repository is the worktree's own administrative
// entry, which remove_turn_worktree() takes away.
//
// Throws UserError (exit 2) when project_root is not inside a git work tree, when turn_id is
// not a plain name ([A-Za-z0-9._-], not starting with '.'), when a worktree for that turn
// already exists, or when git fails. A repository without commits works: the snapshot is then
// a root commit.
TurnWorktree create_turn_worktree(const std::filesystem::path& project_root,
                                  std::string_view turn_id);

// `git worktree remove --force`, the directory if git no longer knew it, then `git worktree
// prune`. Idempotent: removing a removed worktree does nothing. Throws UserError only when the
// directory exists and cannot be removed.
void remove_turn_worktree(const TurnWorktree& wt);

}  // namespace omk::routing
