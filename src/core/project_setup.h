#pragma once

#include <string>

#include "core/scaffold.h"

namespace omk {

// The project files `omk init` owns in the core layer: .omk/config.toml, both MCP files,
// AGENTS.md and the .gitignore block. Later layers add their own entries to the plan.
struct ProjectSetupOptions {
  bool local_user = false;  // trusted local-user mode: scopes "all"
};

ScaffoldPlan project_setup_plan(const ProjectSetupOptions& options);

// .omk/config.toml as omk writes it: every supported key, commented, with its default.
std::string default_config_toml(bool local_user);

}  // namespace omk
