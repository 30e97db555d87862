#include "dag/worktrees.h"

#include <algorithm>
#include <set>
#include <system_error>

#include "core/error.h"
#include "runs/private_files.h"

namespace omk::dag {
namespace fs = std::filesystem;

Worktrees::Worktrees(const Git& git, fs::path worktrees_root)
    : git_(git), root_(std::move(worktrees_root)) {}

fs::path Worktrees::path(const std::string& run_id, const std::string& node) const {
  return root_ / run_id / node;
}

std::string Worktrees::branch(const std::string& run_id, const std::string& node) {
  return "omk/" + run_id + "/" + node;
}

void Worktrees::remove(const std::string& run_id, const std::string& node) {
  fs::path dir = path(run_id, node);
  git_.run({"worktree", "remove", "--force", "--force", dir.string()});
  std::error_code ec;
  // A directory git does not know (a crash before registration) is removed by hand; it lives
  // under .omk/worktrees, never a symlink out of it.
  if (fs::is_symlink(dir, ec)) {
    fs::remove(dir, ec);
  } else {
    fs::remove_all(dir, ec);
  }
  git_.run({"worktree", "prune"});
  fs::remove(dir.parent_path(), ec);  // the run's directory, once empty
}

void Worktrees::remove_branch(const std::string& run_id, const std::string& node) {
  git_.run({"branch", "-D", branch(run_id, node)});
}

fs::path Worktrees::prepare(const std::string& run_id, const std::string& node,
                            const std::string& start) {
  remove(run_id, node);
  runs::ensure_private_ignored_dir(root_);
  runs::ensure_private_dir(root_ / run_id);
  fs::path dir = path(run_id, node);
  git_.must({"worktree", "add", "--quiet", "-B", branch(run_id, node), dir.string(), start});
  return dir;
}

fs::path Worktrees::checkout_detached(const std::string& run_id, const std::string& node,
                                      const std::string& commit) {
  remove(run_id, node);
  runs::ensure_private_ignored_dir(root_);
  runs::ensure_private_dir(root_ / run_id);
  fs::path dir = path(run_id, node);
  git_.must({"worktree", "add", "--quiet", "--detach", dir.string(), commit});
  return dir;
}

LaneCommit Worktrees::commit(const std::string& run_id, const std::string& node,
                             const std::string& start, const std::string& message) {
  fs::path dir = path(run_id, node);
  git_.must_in(dir, {"add", "--all"});
  if (!git_.must_in(dir, {"status", "--porcelain"}).empty()) {
    git_.must_in(dir, {"commit", "--quiet", "--no-verify", "-m", message});
  }
  LaneCommit result;
  result.commit = git_.head_in(dir).value_or(start);
  result.files_changed = changed_files(git_, start, result.commit);
  return result;
}

std::vector<WorktreeInfo> Worktrees::list() const {
  std::set<std::string> registered;
  ToolResult porcelain = git_.run({"worktree", "list", "--porcelain", "-z"});
  for (const auto& field : split_nul(porcelain.out)) {
    if (field.rfind("worktree ", 0) == 0) {
      std::error_code ec;
      fs::path p = fs::weakly_canonical(field.substr(9), ec);
      registered.insert(p.string());
    }
  }
  std::vector<WorktreeInfo> out;
  std::error_code ec;
  for (const auto& run_dir : fs::directory_iterator(root_, ec)) {
    if (!run_dir.is_directory() || run_dir.is_symlink()) continue;
    for (const auto& lane : fs::directory_iterator(run_dir.path(), ec)) {
      if (!lane.is_directory() || lane.is_symlink()) continue;
      WorktreeInfo info;
      info.run_id = run_dir.path().filename().string();
      info.node = lane.path().filename().string();
      info.path = lane.path();
      std::error_code canon_ec;
      info.registered = registered.count(fs::weakly_canonical(lane.path(), canon_ec).string()) != 0;
      out.push_back(std::move(info));
    }
  }
  std::sort(out.begin(), out.end(), [](const WorktreeInfo& a, const WorktreeInfo& b) {
    return std::tie(a.run_id, a.node) < std::tie(b.run_id, b.node);
  });
  return out;
}

std::vector<std::string> changed_files(const Git& git, const std::string& from,
                                       const std::string& to) {
  if (from == to) return {};
  return split_nul(git.must({"diff", "--name-only", "-z", "--no-renames", from, to}));
}

}  // namespace omk::dag
