#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/environment.h"
#include "safety/env_policy.h"

namespace omk::dag {

// The environment of every child omk starts for a DAG, built by the safety layer's policy
// (safety::build_child_env): nothing else in this layer makes an environment.

// git and other helpers: the basic allowlist of omk's environment, nothing explicit.
EnvMap tool_environment(const EnvMap& parent);

// A lane's command or gate: the node's `env` as explicit (trusted local) input under the
// project's policy, plus the run metadata. `warnings` name variables, never values.
struct LaneEnvironment {
  EnvMap env;
  std::vector<std::string> warnings;
};
LaneEnvironment lane_environment(const EnvMap& parent,
                                 const std::map<std::string, std::string>& explicit_env,
                                 const safety::RunMetadata& metadata,
                                 const safety::EnvPolicy& policy);

}  // namespace omk::dag
