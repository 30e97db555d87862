#include <unistd.h>

#include <fmt/format.h>

#include <filesystem>
#include <thread>

#include "cli/context.h"
#include "cli/dag_support.h"
#include "cli/run_support.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/log.h"
#include "core/output.h"
#include "dag/routed_agents.h"
#include "dag/run_driver.h"
#include "process/cancel.h"
#include "runs/run_store.h"
#include "safety/env_policy.h"

namespace omk::cli {
namespace fs = std::filesystem;
namespace {

struct RunFlags {
  std::string target;  // FILE or "GOAL"
  int workers = 0;
  bool dry_run = false;
  std::string provider;
  std::string execution;
  std::string resume;
  bool json = false;
  bool require_sandbox = false;
};

bool looks_like_a_file(const std::string& target) {
  for (const char* ext : {".yaml", ".yml", ".json"}) {
    std::string suffix(ext);
    if (target.size() > suffix.size() &&
        target.compare(target.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return true;
    }
  }
  return target.find('/') != std::string::npos && target.find(' ') == std::string::npos;
}

// `goal` is set (and the request has no spec) when the target is a goal string, not a file.
dag::RunRequest build_request(const RunFlags& flags, const Context& context, ProjectRoot& root,
                              std::string& goal) {
  root = context.project_root();
  Config config = context.config(root);
  dag::RunRequest request;
  request.project_root = root.path;
  request.env = context.env;
  request.env_policy = safety::env_policy_from_config(config, context.env);
  request.workers = flags.workers > 0
                        ? flags.workers
                        : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  request.provider = flags.provider;
  request.execution =
      flags.execution.empty() ? config.string("runtime.execution") : flags.execution;
  request.sandbox_cap = config.string("runtime.sandbox");
  request.sandbox = sandbox_policy(config, context, root, flags.require_sandbox);

  if (!flags.resume.empty()) {
    if (!flags.target.empty())
      throw usage_error("give either a pipeline or --resume RUN, not both");
    runs::RunStore store(root.path);
    store.require(flags.resume);
    Json manifest = store.load_manifest(flags.resume);
    auto status = store.effective_status(flags.resume, manifest, store.load_state(flags.resume));
    if (status == runs::RunStatus::kSucceeded) {
      throw usage_error("run " + flags.resume +
                        " succeeded; there is nothing to resume (run it "
                        "again with `omk replay " +
                        flags.resume + "`)");
    }
    request.spec = recorded_spec(store, flags.resume);
    request.spec_source = manifest.value("spec_source", "");
    request.base_commit = manifest.value("base_commit", Json("")).is_string()
                              ? manifest.value("base_commit", "")
                              : "";
    request.resume = flags.resume;
    return request;
  }
  if (flags.target.empty()) throw usage_error("omk run needs a pipeline file (or --resume RUN)");
  std::error_code ec;
  if (!fs::exists(flags.target, ec)) {
    if (looks_like_a_file(flags.target)) {
      throw usage_error("pipeline file not found: " + flags.target);
    }
    goal = flags.target;
    request.base_commit = dag::project_head(root.path);
    return request;
  }
  auto result = dag::read_spec_file(flags.target, flags.target, spec_defaults(config));
  request.spec = dag::require_valid(result, flags.target);
  request.spec_source = flags.target;
  request.base_commit = dag::project_head(root.path);
  return request;
}

int run_run(const RunFlags& flags, const Context& context) {
  if (!flags.execution.empty() && flags.execution != "ask" && flags.execution != "auto" &&
      flags.execution != "never") {
    throw usage_error("--execution must be ask, auto or never, not '" + flags.execution + "'");
  }
  ProjectRoot root;
  std::string goal;
  dag::RunRequest request = build_request(flags, context, root, goal);
  dag::AgentRuntimeOptions options;
  options.project_root = root.path;
  options.config = context.config(root);
  options.env = context.env;
  options.execution = request.execution;
  options.provider = request.provider;
  dag::RoutedAgentRuntime agents(options);
  if (!goal.empty()) {
    GoalRun run{goal, flags.dry_run, flags.json, spec_defaults(options.config)};
    return run_goal(run, request, agents, root);
  }
  dag::check_runnable(request, agents);
  if (flags.dry_run) {
    print_dry_run(request, agents, flags.json);
    return 0;
  }

  return execute_and_report(request, agents, flags.json, root);
}

}  // namespace

void register_run_command(CLI::App& app, Context& context) {
  auto flags = std::make_shared<RunFlags>();
  auto* run = app.add_subcommand(
      "run",
      "Run a pipeline: lanes in worktrees and sandboxes, done only on evidence, recorded in\n"
      ".omk/runs/<id>/. Exits 0 when every required lane is done, 1 when one failed, 130 when\n"
      "interrupted (resume it with --resume RUN)");
  run->add_option("FILE", flags->target,
                  "Pipeline file (YAML or JSON, see docs/runs.md), or a goal in quotes: a "
                  "planner agent proposes the lanes, shown for approval under --execution ask");
  run->add_option("--workers", flags->workers, "Lanes running at once (default: the CPU count)")
      ->check(CLI::Range(1, 256));
  run->add_flag("--dry-run", flags->dry_run, "Show where each lane would run; run nothing");
  run->add_option("--provider", flags->provider, "Provider for agent lanes that say `auto`");
  run->add_option("--execution", flags->execution,
                  "Approval policy for agent lanes: ask, auto or never (default: "
                  "runtime.execution)");
  run->add_option("--resume", flags->resume,
                  "Continue an interrupted, failed or cancelled run; lanes that were running "
                  "start again")
      ->type_name("RUN");
  run->add_flag("--json", flags->json,
                "Stream every event as one omk.event.v1 JSON line (--dry-run: one "
                "omk.run-plan.v1 document; for a GOAL, its last line after the planner's events)");
  run->add_flag("--require-sandbox", flags->require_sandbox,
                "Refuse (exit 3) rather than run a lane with a sandbox layer missing");
  run->callback([&context, flags] {
    context.action = [&context, flags] { return run_run(*flags, context); };
  });
}

}  // namespace omk::cli
