#pragma once

#include <string>

#include "core/environment.h"
#include "core/json_output.h"
#include "dag/lane_sandbox.h"
#include "runs/run_store.h"
#include "safety/env_policy.h"

namespace omk::dag {

// `omk verify RUN` (omk.verify.v1): does the run still hold? Every gate of every node that was
// done is checked again — in the lane's worktree when it is still there (after checking that it
// still matches the recorded commit), else in a fresh detached worktree of the recorded commit,
// else (lanes that ran in the project) in the project as it is now. Review gates use the
// recorded verdicts. The result is also written to the run's verify.json.
Json verify_run(const runs::RunStore& store, const std::string& run_id,
                const SandboxPolicy& sandbox, const EnvMap& env,
                const safety::EnvPolicy& env_policy);

}  // namespace omk::dag
