#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "routing/evidence_history.h"
#include "routing/router.h"
#include "routing/turn_policy.h"
#include "routing/workspace_state.h"

namespace omk::routing {

// What the next runtime in the fallback order may do after one failed.
enum class FallbackStep {
  kTryNext,               // nothing changed (or the attempt could not change anything)
  kRetryOnCleanWorktree,  // changed, and policy allows a retry on a clean worktree
  kStop,                  // changed (or unknown), no retry allowed: stop and report
};
std::string_view to_string(FallbackStep step);

struct FallbackPolicy {
  // Whether a later runtime may retry after a write-capable attempt changed the workspace,
  // on a clean worktree of the recorded state (the caller makes that worktree).
  bool retry_on_clean_worktree = false;
};

struct FallbackVerdict {
  FallbackStep step = FallbackStep::kTryNext;
  std::string reason;  // for the user when it stops: the runtime and the changed paths
};

// The rule the original lacked: a failed write-capable attempt that changed the workspace is
// not re-run elsewhere on top of its partial changes. A read-only attempt cannot have changed
// anything (its sandbox forbids it), so it falls back freely. When git cannot tell, the
// workspace is treated as changed.
FallbackVerdict after_failed_attempt(const std::string& runtime, bool write_capable,
                                     const WorkspaceChange& change, const FallbackPolicy& policy);

// One attempt as the caller ran it.
struct AttemptResult {
  TurnOutcome outcome = TurnOutcome::kFailed;
  EvidenceResult evidence = EvidenceResult::kNone;
  int exit_code = 1;
  std::string summary;  // one line for the trace
};

struct AttemptTrace {
  std::string runtime;
  AttemptResult result;
  std::optional<WorkspaceChange> change;  // write-capable attempts only
  FallbackStep next = FallbackStep::kTryNext;
  std::string note;
};

struct FallbackRun {
  bool succeeded = false;
  std::optional<std::string> runtime;  // the one that succeeded
  std::vector<AttemptTrace> attempts;
  bool stopped_on_change = false;
  bool needs_clean_worktree = false;  // stopped at kRetryOnCleanWorktree (see below)
  std::string reason;
};

// Runs `attempt` for each runtime in the decision's fallback order until one succeeds.
// Before a write-capable attempt the workspace is snapshotted; after a failure the rule above
// decides. kRetryOnCleanWorktree stops the loop with needs_clean_worktree set: the caller
// prepares the clean worktree and calls again with the remaining order (omk never resets the
// user's files itself). Every attempt is recorded in `history` when given.
struct FallbackOptions {
  std::filesystem::path workspace;
  Risk risk = Risk::kRead;
  bool write_capable = false;  // turn_policy(...).capabilities.write_capable() && !read_only
  FallbackPolicy policy;
  EvidenceHistory* history = nullptr;
  std::string run_id;
  std::string node_id;
};
using AttemptFn = std::function<AttemptResult(const std::string& runtime)>;
FallbackRun run_with_fallback(const std::vector<std::string>& order, const FallbackOptions& options,
                              const AttemptFn& attempt);

}  // namespace omk::routing
