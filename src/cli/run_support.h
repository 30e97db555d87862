#pragma once

#include "cli/context.h"
#include "dag/lane_sandbox.h"
#include "dag/lane_work.h"
#include "dag/run_driver.h"

namespace omk::cli {

// The sandbox settings of the project ([sandbox] in .omk/config.toml, HOME, TMPDIR).
dag::SandboxPolicy sandbox_policy(const Config& config, const Context& context,
                                  const ProjectRoot& root, bool require_flag);

// Runs a prepared request with live progress (terminal, plain lines, or --json event lines),
// Ctrl-C cancelling every lane, then prints the summary. Returns the exit code: 0 succeeded,
// 1 failed, 130 cancelled.
int execute_and_report(const dag::RunRequest& request, dag::AgentRuntime& agents, bool json,
                       const ProjectRoot& root);

}  // namespace omk::cli
