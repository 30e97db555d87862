#pragma once

#include <optional>
#include <string>

#include "core/json_output.h"
#include "runs/run_store.h"

namespace omk::runs {

// omk.inspect.v1: what a run was and how each node went. Counts, hashes and paths — never the
// spec's prompts or a lane's inventory in bulk; a node's log tails only when that node is asked
// for.
// `with_tails` adds each listed node's log tails (always on when one node is asked for).
Json inspect_run(const RunStore& store, const std::string& run_id,
                 const std::optional<std::string>& node = std::nullopt, bool with_tails = false);

// omk.diff-runs.v1: two runs side by side, per node: status, provider, attempts, gate results
// and files changed.
Json diff_runs(const RunStore& store, const std::string& a, const std::string& b);

// The last `lines` lines of a (redacted) lane log; empty when the file does not exist.
std::string log_tail(const std::filesystem::path& path, int lines);

}  // namespace omk::runs
