#pragma once

#include "core/json_output.h"
#include "runs/run_store.h"

namespace omk::dag {

struct CleanOptions {
  bool dry_run = false;
  bool include_interrupted = false;  // --all: also runs that could still be resumed
  bool delete_branches = false;  // --branches: also omk/<run>/<node> (verify then needs them gone)
};

// `omk worktrees clean` (omk.worktrees-clean.v1): removes lane worktrees of finished runs.
// Running runs are never touched; interrupted ones only with include_interrupted; worktrees of
// runs that no longer exist are removed. Branches stay (verify and merge use their commits)
// unless delete_branches.
Json clean_worktrees(const runs::RunStore& store, const CleanOptions& options);

}  // namespace omk::dag
