#pragma once

#include <string>

#include "core/json_output.h"
#include "runs/run_store.h"

namespace omk::dag {

// `omk merge RUN` (omk.merge.v1): brings the run's worktree lanes home. Lanes whose gates all
// passed are merged into the project's current branch, one merge commit each, in dependency
// order. The first conflict stops the merge (the conflicting merge is aborted, so the project is
// left as the previous lane left it) and is reported with its files. With `dry_run` nothing
// changes: the same merges are computed with `git merge-tree`. The result is also written to the
// run's merge.json. Lanes that ran in the project itself have nothing to merge.
Json merge_run(const runs::RunStore& store, const std::string& run_id, bool dry_run);

}  // namespace omk::dag
