#include "dag/lane_sandbox.h"

#include "sandbox/sandbox.h"
#include "sandbox/sandboxed_run.h"

namespace omk::dag {

sandbox::Profile profile_of(const std::string& name) {
  return sandbox::parse_profile(name).value_or(sandbox::Profile::kWorkspaceWrite);
}

LaneCommandResult run_lane_command(const LaneCommand& command, const SandboxPolicy& policy) {
  sandbox::SandboxRequest request;
  request.profile = command.profile;
  request.allow_network = command.network;
  request.workspace = command.workspace;
  if (command.profile != sandbox::Profile::kReadOnly)
    request.writable_roots = policy.writable_roots;
  request.readable_roots = policy.readable_roots;
  request.readable_roots.insert(request.readable_roots.end(), command.readable_roots.begin(),
                                command.readable_roots.end());
  request.require = policy.require;
  request.original_home = policy.original_home;
  request.scratch_base = policy.scratch_base;
  request.bridge_shell_profiles = policy.bridge_shell_profiles;
  auto box = sandbox::Sandbox::prepare(request);

  process::RunOptions options;
  options.spawn.argv = command.argv;
  options.spawn.env = command.env;
  box->apply_to_environment(options.spawn.env);
  // The sandbox canonicalizes the workspace; the child sees canonical paths only.
  options.spawn.cwd = box->request().workspace;
  options.stdin_source = process::StdinSource::none();
  if (command.timeout_ms > 0) options.timeout = std::chrono::milliseconds(command.timeout_ms);
  options.cancel = command.cancel;
  // The logs hold the output; the capture is only a bounded copy.
  options.out.capture_limit = 64 * 1024;
  options.err.capture_limit = 64 * 1024;
  options.out.on_data = command.on_stdout;
  options.err.on_data = command.on_stderr;
  process::RunResult run = sandbox::run_sandboxed(*box, options);

  LaneCommandResult result;
  result.exit_code = run.exit_code;
  result.timed_out = run.timed_out;
  result.cancelled = run.cancelled;
  result.wall_ms = run.wall_ms;
  if (run.start_failure) result.start_error = run.start_failure->message();
  result.enforcement = box->enforcement();
  return result;
}

}  // namespace omk::dag
