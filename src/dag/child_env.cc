#include "dag/child_env.h"

namespace omk::dag {

EnvMap tool_environment(const EnvMap& parent) {
  safety::EnvPolicy basic;  // the basic allowlist only
  basic.explicit_context = "omk's helper";
  EnvMap env = safety::build_child_env(parent, {}, {}, basic).env;
  // Run metadata is for lanes; a helper gets none.
  env.erase("OMK_RUN_ID");
  env.erase("OMK_NODE_ID");
  env.erase("OMK_NODE_ROLE");
  return env;
}

LaneEnvironment lane_environment(const EnvMap& parent,
                                 const std::map<std::string, std::string>& explicit_env,
                                 const safety::RunMetadata& metadata,
                                 const safety::EnvPolicy& policy) {
  EnvMap explicit_map(explicit_env.begin(), explicit_env.end());
  safety::ChildEnv child = safety::build_child_env(parent, explicit_map, metadata, policy);
  return {std::move(child.env), std::move(child.warnings)};
}

}  // namespace omk::dag
