#include "cli/run_support.h"

#include <unistd.h>

#include <fmt/format.h>

#include "cli/run_progress.h"
#include "core/error.h"
#include "core/exit_codes.h"
#include "core/json_output.h"
#include "core/output.h"
#include "process/cancel.h"
#include "runs/run_store.h"

namespace omk::cli {
namespace fs = std::filesystem;
namespace {

fs::path expand_root(const std::string& text, const fs::path& project, const EnvMap& env) {
  if (text == "~" || text.rfind("~/", 0) == 0) {
    auto home = env_value(env, "HOME");
    if (!home || home->empty()) throw usage_error("cannot expand " + text + ": HOME is not set");
    return fs::path(*home) / text.substr(text.size() > 1 ? 2 : 1);
  }
  fs::path path(text);
  return path.is_absolute() ? path : project / path;
}

int exit_code_for(runs::RunStatus status) {
  switch (status) {
    case runs::RunStatus::kSucceeded:
      return 0;
    case runs::RunStatus::kCancelled:
      return to_int(ExitCode::kInterrupted);
    default:
      return to_int(ExitCode::kFailed);
  }
}

}  // namespace

dag::SandboxPolicy sandbox_policy(const Config& config, const Context& context,
                                  const ProjectRoot& root, bool require_flag) {
  dag::SandboxPolicy policy;
  for (const auto& text : config.strings("sandbox.writable_roots")) {
    policy.writable_roots.push_back(expand_root(text, root.path, context.env));
  }
  for (const auto& text : config.strings("sandbox.readable_roots")) {
    policy.readable_roots.push_back(expand_root(text, root.path, context.env));
  }
  policy.require = require_flag || config.boolean("sandbox.require");
  policy.original_home = env_value(context.env, "HOME").value_or("");
  // Empty unless the user set TMPDIR: the sandbox then prefers a private tmpfs (/dev/shm).
  policy.scratch_base = env_value(context.env, "TMPDIR").value_or("");
  policy.bridge_shell_profiles = env_flag(context.env, "OMK_ISOLATED_HOME_BRIDGE_SHELL_PROFILES");
  return policy;
}

void print_dry_run(const dag::RunRequest& request, const dag::AgentRuntime& agents, bool json) {
  Json plan = dag::plan_json(request, agents);
  if (json) {
    print_json(plan);
    return;
  }
  std::string text = fmt::format("plan for {} ({} workers); nothing runs with --dry-run\n",
                                 request.spec_source, request.workers);
  for (const auto& node : plan["nodes"]) {
    text +=
        fmt::format("  wave {}  {:<20} {:<8} in {}  sandbox {}{}\n", node["wave"].get<int>(),
                    node["id"].get<std::string>(), node["kind"].get<std::string>(),
                    node["workspace"].get<std::string>(), node["sandbox"].get<std::string>(),
                    node["action"] == "skip" ? "  SKIP: " + node["reason"].get<std::string>() : "");
  }
  print_out(text);
}

int execute_and_report(const dag::RunRequest& request, dag::AgentRuntime& agents, bool json,
                       const ProjectRoot& root, std::string* run_id) {
  RunProgress::Mode mode = json                      ? RunProgress::Mode::kJson
                           : ::isatty(STDOUT_FILENO) ? RunProgress::Mode::kTerminal
                                                     : RunProgress::Mode::kPlain;
  RunProgress progress(mode);
  dag::RunObservers observers;
  observers.on_event = [&progress](const Json& event) { progress.event(event); };
  observers.on_output = [&progress](const std::string& node, std::string_view chunk) {
    progress.output(node, chunk);
  };
  process::CancelToken cancel;
  dag::RunOutcome outcome;
  {
    // Ctrl-C (or SIGTERM, SIGHUP) cancels every lane's process group; the run is recorded as
    // cancelled and can be resumed.
    process::InterruptScope interrupts(cancel);
    outcome = dag::execute_run(request, agents, cancel, observers);
  }
  progress.finish();
  if (run_id) *run_id = outcome.run_id;
  if (!json) {
    runs::RunStore store(root.path);
    std::string summary;
    for (const auto& [state, count] : store.load_state(outcome.run_id).counts()) {
      if (count) {
        summary +=
            fmt::format("{}{} {}", summary.empty() ? "" : ", ", count, runs::to_string(state));
      }
    }
    print_out(fmt::format("run {} {}: {}\ninspect it with `omk inspect {}`\n", outcome.run_id,
                          runs::to_string(outcome.status), summary, outcome.run_id));
  }
  return exit_code_for(outcome.status);
}

}  // namespace omk::cli
