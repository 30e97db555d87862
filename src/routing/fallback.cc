#include "routing/fallback.h"

#include <fmt/format.h>

#include "core/clock.h"

namespace omk::routing {
namespace {

std::string path_list(const std::vector<std::string>& paths) {
  std::string out;
  size_t shown = 0;
  for (const std::string& path : paths) {
    if (shown == 5) {
      out += fmt::format(", and {} more", paths.size() - shown);
      break;
    }
    out += (shown == 0 ? "" : ", ") + path;
    ++shown;
  }
  return out;
}

}  // namespace

std::string_view to_string(FallbackStep step) {
  switch (step) {
    case FallbackStep::kTryNext:
      return "try-next";
    case FallbackStep::kRetryOnCleanWorktree:
      return "retry-on-clean-worktree";
    case FallbackStep::kStop:
      return "stop";
  }
  return "stop";
}

FallbackVerdict after_failed_attempt(const std::string& runtime, bool write_capable,
                                     const WorkspaceChange& change, const FallbackPolicy& policy) {
  if (!write_capable) return {FallbackStep::kTryNext, {}};
  if (change.known && !change.changed) return {FallbackStep::kTryNext, {}};
  std::string what;
  if (!change.known) {
    what = fmt::format("{} failed and omk cannot tell whether it changed the workspace ({})",
                       runtime, change.error.empty() ? "git could not tell" : change.error);
  } else if (!change.paths.empty()) {
    what = fmt::format("{} failed after changing the workspace ({})", runtime,
                       path_list(change.paths));
  } else {
    what = fmt::format("{} failed after moving HEAD", runtime);
  }
  if (policy.retry_on_clean_worktree && change.known) {
    return {FallbackStep::kRetryOnCleanWorktree,
            what + "; the next runtime may retry on a clean worktree"};
  }
  return {FallbackStep::kStop,
          what +
              "; not retrying on another runtime on top of those changes (review them, "
              "then run the turn again)"};
}

FallbackRun run_with_fallback(const std::vector<std::string>& order, const FallbackOptions& options,
                              const AttemptFn& attempt) {
  FallbackRun run;
  if (order.empty()) {
    run.reason = "no runtime to try";
    return run;
  }
  for (const std::string& runtime : order) {
    AttemptTrace trace;
    trace.runtime = runtime;
    std::optional<WorkspaceSnapshot> before;
    std::string snapshot_error;
    if (options.write_capable) before = snapshot_workspace(options.workspace, &snapshot_error);
    int64_t started = monotonic_ms();
    trace.result = attempt(runtime);
    if (options.history) {
      OutcomeRecord record;
      record.runtime = runtime;
      record.risk = options.risk;
      record.outcome = trace.result.outcome;
      record.evidence = trace.result.evidence;
      record.run_id = options.run_id;
      record.node_id = options.node_id;
      record.duration_ms = monotonic_ms() - started;
      options.history->record(record);
    }
    bool passed = trace.result.outcome == TurnOutcome::kSucceeded &&
                  trace.result.evidence != EvidenceResult::kFailed;
    if (passed) {
      run.attempts.push_back(std::move(trace));
      run.succeeded = true;
      run.runtime = runtime;
      run.reason = runtime + " succeeded";
      return run;
    }
    // A cancel is the user's word and a refusal is policy's: neither is a runtime's failure
    // that another runtime could make good.
    if (trace.result.outcome == TurnOutcome::kCancelled ||
        trace.result.outcome == TurnOutcome::kRefused) {
      run.reason = fmt::format(
          "{} {}: {}", runtime,
          trace.result.outcome == TurnOutcome::kCancelled ? "was cancelled" : "was refused",
          trace.result.summary);
      run.attempts.push_back(std::move(trace));
      return run;
    }
    WorkspaceChange change;
    if (options.write_capable) {
      if (before) {
        change = workspace_change(options.workspace, *before);
      } else {
        change.error = snapshot_error;
      }
      trace.change = change;
    }
    FallbackVerdict verdict =
        after_failed_attempt(runtime, options.write_capable, change, options.policy);
    trace.next = verdict.step;
    trace.note = verdict.reason;
    run.attempts.push_back(std::move(trace));
    if (verdict.step == FallbackStep::kStop) {
      run.stopped_on_change = true;
      run.reason = verdict.reason;
      return run;
    }
    if (verdict.step == FallbackStep::kRetryOnCleanWorktree && &runtime != &order.back()) {
      run.needs_clean_worktree = true;
      run.stopped_on_change = true;
      run.reason = verdict.reason;
      return run;
    }
  }
  run.reason = fmt::format("every runtime failed ({} tried)", order.size());
  return run;
}

}  // namespace omk::routing
