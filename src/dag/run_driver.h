#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/environment.h"
#include "dag/lane_sandbox.h"
#include "dag/lane_work.h"
#include "dag/spec.h"
#include "process/cancel.h"
#include "runs/run_records.h"
#include "safety/env_policy.h"

namespace omk::dag {

// A re-execution of a recorded run (`omk replay`): same spec, same base commit; nodes not
// downstream of `from` keep what the earlier run recorded.
struct ReplayOf {
  std::string run_id;
  std::string from_node;  // empty: everything runs again
};

struct RunRequest {
  std::filesystem::path project_root;
  DagSpec spec;
  std::string spec_source;
  int workers = 1;
  std::string execution = "ask";                // carried into the policy for agent lanes
  std::string provider;                         // --provider: replaces `auto` on agent lanes
  std::string sandbox_cap = "workspace-write";  // [runtime] sandbox: the most a lane may get
  SandboxPolicy sandbox;
  EnvMap env;                         // omk's own environment
  safety::EnvPolicy env_policy;       // what lanes may receive of it
  std::optional<std::string> resume;  // continue this run instead of starting one
  std::optional<ReplayOf> replay;
  std::string base_commit;  // replay: the recorded one; otherwise HEAD
};

// Refuses what cannot run, before anything is created: required agent lanes with no runtime
// (exit 4), lanes asking for more sandbox than [runtime] sandbox allows (exit 3), worktree lanes
// outside a git repository with a commit (exit 2), an unknown --provider (exit 2).
void check_runnable(const RunRequest& request, const AgentRuntime& agents);

// Where each node would run and why, without running anything (omk run --dry-run).
Json plan_json(const RunRequest& request, const AgentRuntime& agents);

struct RunOutcome {
  std::string run_id;
  runs::RunStatus status = runs::RunStatus::kFailed;
};

struct RunObservers {
  std::function<void(const Json& event)> on_event;  // the loop's thread
  std::function<void(const std::string& node, std::string_view chunk)> on_output;  // any thread
  std::function<void(const std::string& run_id)> on_start;
};

// Creates (or resumes) the run, executes it and records everything under .omk/runs/<id>/.
RunOutcome execute_run(RunRequest request, AgentRuntime& agents, process::CancelToken& cancel,
                       const RunObservers& observers);

// The HEAD commit of the project, or "" outside a git repository or before the first commit.
std::string project_head(const std::filesystem::path& project_root);

}  // namespace omk::dag
