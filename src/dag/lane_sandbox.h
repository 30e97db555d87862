#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/environment.h"
#include "process/cancel.h"
#include "sandbox/enforcement.h"
#include "sandbox/profile.h"

namespace omk::dag {

// How every command of a run is sandboxed: the project's settings plus each node's profile
// and network switch. Fixed when the run starts.
struct SandboxPolicy {
  std::vector<std::filesystem::path> writable_roots;  // [sandbox] writable_roots
  std::vector<std::filesystem::path> readable_roots;  // [sandbox] readable_roots
  bool require = false;                               // --require-sandbox, sandbox.require
  std::filesystem::path original_home;
  std::filesystem::path scratch_base;
  bool bridge_shell_profiles = false;
};

struct LaneCommand {
  std::vector<std::string> argv;
  std::filesystem::path workspace;  // the sandbox's workspace and the working directory
  sandbox::Profile profile = sandbox::Profile::kWorkspaceWrite;
  bool network = false;
  // Extra read-only trees for this command (a worktree's repository metadata).
  std::vector<std::filesystem::path> readable_roots;
  EnvMap env;  // before the sandbox points HOME and TMPDIR at its private ones
  int64_t timeout_ms = 0;
  const process::CancelToken* cancel = nullptr;
  std::function<void(std::string_view)> on_stdout;
  std::function<void(std::string_view)> on_stderr;
};

struct LaneCommandResult {
  int exit_code = 0;
  bool timed_out = false;
  bool cancelled = false;
  std::string start_error;
  int64_t wall_ms = 0;
  sandbox::Enforcement enforcement;
};

// Runs one command of a lane (its `run`, or a `command`/`tests` gate) in a fresh sandbox.
// Throws UserError (exit 3) only when the sandbox is required and a layer is missing.
LaneCommandResult run_lane_command(const LaneCommand& command, const SandboxPolicy& policy);

// The sandbox profile a node's `sandbox:` names.
sandbox::Profile profile_of(const std::string& name);

}  // namespace omk::dag
