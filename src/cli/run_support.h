#pragma once

#include "cli/context.h"
#include "dag/lane_sandbox.h"
#include "dag/lane_work.h"
#include "dag/run_driver.h"
#include "dag/spec_parser.h"

namespace omk::cli {

// The sandbox settings of the project ([sandbox] in .omk/config.toml, HOME, TMPDIR).
dag::SandboxPolicy sandbox_policy(const Config& config, const Context& context,
                                  const ProjectRoot& root, bool require_flag);

// Runs a prepared request with live progress (terminal, plain lines, or --json event lines),
// Ctrl-C cancelling every lane, then prints the summary. Returns the exit code: 0 succeeded,
// 1 failed, 130 cancelled.
// `run_id` (optional) receives the run's id.
int execute_and_report(const dag::RunRequest& request, dag::AgentRuntime& agents, bool json,
                       const ProjectRoot& root, std::string* run_id = nullptr);

// omk run --dry-run: where each lane would run (text, or omk.run-plan.v1 with --json).
void print_dry_run(const dag::RunRequest& request, const dag::AgentRuntime& agents, bool json);

// omk run "GOAL": the planner lane, its plan validated and shown (approved on a terminal under
// --execution ask), then the plan run as a pipeline. `request` carries the flags (no spec).
struct GoalRun {
  std::string goal;
  bool dry_run = false;
  bool json = false;
  dag::SpecDefaults defaults;
};
int run_goal(const GoalRun& goal, dag::RunRequest request, dag::AgentRuntime& agents,
             const ProjectRoot& root);

}  // namespace omk::cli
