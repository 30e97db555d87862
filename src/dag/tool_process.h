#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/environment.h"

namespace omk::dag {

// omk's own helper programs (git): run without a sandbox, with the environment the safety
// layer allows a child, output captured through the redactor. The lane runner is separate
// (lane_runner.h); both go through the process layer.
struct ToolRun {
  std::vector<std::string> argv;
  std::filesystem::path cwd;
  EnvMap extra_env;  // added to the policy-built environment (GIT_* settings)
  std::string stdin_data;
  int64_t timeout_ms = 120000;
  // false only for content omk itself scans for secrets (a lane's diff): the bytes never reach
  // a terminal, log or artifact.
  bool redact = true;
};

struct ToolResult {
  int exit_code = 0;  // 124 timeout, 127 not found
  std::string out;
  std::string err;
  std::string start_error;  // set when the program could not be started
  bool ok() const { return exit_code == 0 && start_error.empty(); }
};

ToolResult run_tool(const ToolRun& run);

}  // namespace omk::dag
