#pragma once

#include <map>
#include <string>

#include "core/environment.h"

namespace omk::dag {

// The environment of a child omk starts for a DAG (a lane, a gate command, git).
//
// TO BE REPLACED by the safety layer's environment policy when issue 3 (branch issue-3) is
// merged: until then only the basic allowlist of the parent passes, plus the explicit
// variables and the run metadata, and a fixed set of secret-like names is dropped from the
// explicit ones. Nothing else in the DAG layer builds an environment.
EnvMap tool_environment(const EnvMap& parent);
EnvMap lane_environment(const EnvMap& parent,
                        const std::map<std::string, std::string>& explicit_env,
                        const std::map<std::string, std::string>& metadata);

}  // namespace omk::dag
