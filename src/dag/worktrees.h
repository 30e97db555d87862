#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dag/git.h"

namespace omk::dag {

// A lane's git worktree: .omk/worktrees/<run>/<node> on branch omk/<run>/<node>, started from a
// given commit. Lanes never share a directory, and a lane's changes end up as one commit on its
// branch, which verify re-checks and merge brings home.
struct LaneCommit {
  std::string commit;                      // the branch head after the lane (== start if no change)
  std::vector<std::string> files_changed;  // relative to the repository root
};

struct WorktreeInfo {
  std::string run_id;
  std::string node;
  std::filesystem::path path;
  bool registered = false;  // git knows it (else it is a stray directory)
};

class Worktrees {
 public:
  Worktrees(const Git& git, std::filesystem::path worktrees_root);

  std::filesystem::path path(const std::string& run_id, const std::string& node) const;
  static std::string branch(const std::string& run_id, const std::string& node);

  // A clean worktree on omk/<run>/<node> at `start`. Anything left there (an earlier attempt, a
  // crash half-way through `git worktree add`) is removed first: every attempt starts fresh.
  std::filesystem::path prepare(const std::string& run_id, const std::string& node,
                                const std::string& start);
  // A detached worktree at `commit` (verify, when the lane's own worktree is gone).
  std::filesystem::path checkout_detached(const std::string& run_id, const std::string& node,
                                          const std::string& commit);
  // Commits everything in the worktree (new files too; .gitignore respected) and returns the
  // branch head and what changed since `start`.
  LaneCommit commit(const std::string& run_id, const std::string& node, const std::string& start,
                    const std::string& message);
  // Removes the worktree (the branch and its commits stay).
  void remove(const std::string& run_id, const std::string& node);
  void remove_branch(const std::string& run_id, const std::string& node);
  std::vector<WorktreeInfo> list() const;

 private:
  const Git& git_;
  std::filesystem::path root_;
};

// Files that differ between two commits.
std::vector<std::string> changed_files(const Git& git, const std::string& from,
                                       const std::string& to);

}  // namespace omk::dag
