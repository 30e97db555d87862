#include "routing/turn_worktree.h"

#include <system_error>

#include "core/error.h"
#include "routing/git_call.h"
#include "routing/workspace_state.h"
#include "runs/private_files.h"

namespace omk::routing {
namespace fs = std::filesystem;
namespace {

bool plain_name(std::string_view id) {
  if (id.empty() || id.size() > 128 || id.front() == '.') return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

fs::path turns_dir(const fs::path& project_root) {
  return project_root / ".omk" / "worktrees" / "turns";
}

std::string git_or_throw(const fs::path& cwd, const std::vector<std::string>& args,
                         const std::string& what,
                         const std::map<std::string, std::string>& env = {}) {
  GitCall call;
  call.cwd = cwd;
  call.args = args;
  call.env = env;
  GitResult result = run_git(call);
  if (!result.ok()) {
    throw usage_error("cannot " + what + " in " + cwd.string() + ": " + first_line(result.err));
  }
  return trimmed(result.out);
}

// The snapshot commit is omk's, whoever the user is: a fixed identity keeps commit-tree from
// failing in a repository without user.name, and says where the commit came from.
const std::map<std::string, std::string>& omk_identity() {
  static const std::map<std::string, std::string> identity = {
      {"GIT_AUTHOR_NAME", "omk"},
      {"GIT_AUTHOR_EMAIL", "omk@localhost"},
      {"GIT_COMMITTER_NAME", "omk"},
      {"GIT_COMMITTER_EMAIL", "omk@localhost"}};
  return identity;
}

}  // namespace

TurnWorktree create_turn_worktree(const fs::path& project_root, std::string_view turn_id) {
  if (!plain_name(turn_id)) {
    throw usage_error("turn id '" + std::string(turn_id) +
                      "' is not a plain name: use letters, digits, '.', '_' and '-', not "
                      "starting with '.'");
  }
  TurnWorktree wt;
  std::error_code ec;
  wt.project_root = fs::absolute(project_root, ec);
  if (ec || !fs::is_directory(wt.project_root)) {
    throw usage_error("project directory " + project_root.string() + " does not exist");
  }
  GitResult top = run_git(wt.project_root, {"rev-parse", "--show-toplevel"});
  if (!top.ok() || trimmed(top.out).empty()) {
    throw usage_error(wt.project_root.string() +
                      " is not inside a git work tree, and write turns run in a disposable git "
                      "worktree: run `git init` there, or set [runtime] isolate_turns = false to "
                      "let the agent edit in place");
  }
  wt.repo_root = trimmed(top.out);
  std::string prefix = git_or_throw(wt.project_root, {"rev-parse", "--show-prefix"},
                                    "find the project inside its repository");

  std::string error;
  std::optional<WorkspaceSnapshot> snapshot = snapshot_workspace(wt.repo_root, &error);
  if (!snapshot) throw usage_error("cannot snapshot " + wt.repo_root.string() + ": " + error);
  wt.head_commit = snapshot->head;
  std::vector<std::string> commit = {"commit-tree", snapshot->tree, "-m",
                                     "omk turn " + std::string(turn_id) + ": snapshot"};
  // An unborn HEAD has no parent to name: the snapshot is then a root commit.
  if (!wt.head_commit.empty()) {
    commit.push_back("-p");
    commit.push_back(wt.head_commit);
  }
  wt.snapshot_commit =
      git_or_throw(wt.repo_root, commit, "write the turn's snapshot commit", omk_identity());

  fs::path turns = turns_dir(wt.project_root);
  runs::ensure_private_ignored_dir(turns.parent_path());
  runs::ensure_private_dir(turns);
  wt.path = turns / std::string(turn_id);
  if (fs::exists(fs::symlink_status(wt.path))) {
    throw usage_error("a worktree for turn " + std::string(turn_id) + " already exists at " +
                      wt.path.string() + ": remove it or use another turn id");
  }
  git_or_throw(wt.repo_root,
               {"worktree", "add", "--detach", "--quiet", wt.path.string(), wt.snapshot_commit},
               "create the turn's worktree");
  wt.work_dir = prefix.empty() ? wt.path : wt.path / prefix;
  if (!prefix.empty() && wt.work_dir.filename().empty()) wt.work_dir = wt.work_dir.parent_path();
  return wt;
}

void remove_turn_worktree(const TurnWorktree& wt) {
  if (wt.path.empty()) return;
  std::error_code ec;
  bool repo_exists = !wt.repo_root.empty() && fs::is_directory(wt.repo_root, ec);
  if (repo_exists && fs::exists(fs::symlink_status(wt.path, ec))) {
    run_git(wt.repo_root, {"worktree", "remove", "--force", wt.path.string()});
  }
  // git refuses some worktrees (a locked one, submodules inside): the directory still goes, but
  // only when it is where turn worktrees live, so a damaged struct cannot aim this elsewhere.
  if (fs::exists(fs::symlink_status(wt.path, ec)) &&
      wt.path.parent_path() == turns_dir(wt.project_root)) {
    fs::remove_all(wt.path, ec);
    if (ec) {
      throw usage_error("cannot remove the turn worktree " + wt.path.string() + ": " +
                        ec.message());
    }
  }
  if (repo_exists) run_git(wt.repo_root, {"worktree", "prune"});
}

}  // namespace omk::routing
