#include "routing/workspace_state.h"

#include "routing/git_call.h"

namespace omk::routing {

std::optional<WorkspaceSnapshot> snapshot_workspace(const std::filesystem::path& repo,
                                                    std::string* error) {
  GitResult inside = run_git(repo, {"rev-parse", "--is-inside-work-tree"});
  if (inside.exit_code != 0 || trimmed(inside.out) != "true") {
    if (error) *error = "not a git work tree: " + first_line(inside.err);
    return std::nullopt;
  }
  WorkspaceSnapshot snapshot;
  GitResult head = run_git(repo, {"rev-parse", "--verify", "--quiet", "HEAD"});
  if (head.exit_code == 0) snapshot.head = trimmed(head.out);
  TemporaryIndex index(repo);
  // omk's own state (.omk/: history, runs, turn worktrees) is not the workspace an agent
  // changes, at the top or in a subdirectory project.
  std::vector<std::string> add_all = {
      "add", "--all", "--", ":/", ":(top,exclude).omk", ":(top,exclude,glob)**/.omk/**"};
  GitResult add = run_git(repo, add_all, index.path());
  if (add.exit_code != 0) {
    // A copied index git cannot use here (a split index, say): start from an empty one.
    index.reset();
    add = run_git(repo, add_all, index.path());
  }
  if (add.exit_code != 0) {
    if (error) *error = "git add (temporary index): " + first_line(add.err);
    return std::nullopt;
  }
  GitResult tree = run_git(repo, {"write-tree"}, index.path());
  if (tree.exit_code != 0) {
    if (error) *error = "git write-tree: " + first_line(tree.err);
    return std::nullopt;
  }
  snapshot.tree = trimmed(tree.out);
  return snapshot;
}

WorkspaceChange workspace_change(const std::filesystem::path& repo,
                                 const WorkspaceSnapshot& before) {
  WorkspaceChange change;
  std::string error;
  std::optional<WorkspaceSnapshot> after = snapshot_workspace(repo, &error);
  if (!after) {
    change.error = error;
    return change;
  }
  change.known = true;
  change.head_moved = after->head != before.head;
  if (after->tree != before.tree) {
    GitResult diff =
        run_git(repo, {"diff", "--name-only", "-z", "--no-renames", before.tree, after->tree});
    if (diff.exit_code != 0) {
      change.known = false;
      change.error = "git diff: " + first_line(diff.err);
      change.changed = true;
      return change;
    }
    change.paths = split_nul(diff.out);
  }
  change.changed = change.head_moved || after->tree != before.tree;
  return change;
}

std::optional<std::vector<std::string>> uncommitted_paths(const std::filesystem::path& repo) {
  GitResult status = run_git(repo, {"status", "--porcelain=v1", "-z", "--untracked-files=all"});
  if (status.exit_code != 0) return std::nullopt;
  std::vector<std::string> paths;
  std::vector<std::string> entries = split_nul(status.out);
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string& entry = entries[i];
    if (entry.size() < 4) continue;
    paths.push_back(entry.substr(3));
    // A rename or copy is followed by its source path.
    if (entry[0] == 'R' || entry[0] == 'C') ++i;
  }
  return paths;
}

}  // namespace omk::routing
