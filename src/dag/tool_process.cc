#include "dag/tool_process.h"

#include "dag/child_env.h"
#include "process/runner.h"

namespace omk::dag {

ToolResult run_tool(const ToolRun& run) {
  process::RunOptions options;
  options.spawn.argv = run.argv;
  options.spawn.env = tool_environment(current_environment());
  for (const auto& [name, value] : run.extra_env) options.spawn.env[name] = value;
  options.spawn.cwd = run.cwd;
  options.stdin_source = run.stdin_data.empty() ? process::StdinSource::none()
                                                : process::StdinSource::text(run.stdin_data);
  if (run.timeout_ms > 0) options.timeout = std::chrono::milliseconds(run.timeout_ms);
  options.out.capture_limit = 64u << 20;
  options.err.capture_limit = 1u << 20;
  options.out.redact = run.redact;
  options.err.redact = true;
  process::RunResult result = process::run(options);
  ToolResult out;
  out.exit_code = result.exit_code;
  out.out = std::move(result.out.text);
  out.err = std::move(result.err.text);
  if (result.start_failure) out.start_error = result.start_failure->message();
  return out;
}

}  // namespace omk::dag
