#include <fmt/format.h>

#include <thread>

#include "cli/context.h"
#include "cli/dag_support.h"
#include "cli/run_progress.h"
#include "cli/run_support.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/output.h"
#include "dag/routed_agents.h"
#include "dag/run_driver.h"
#include "dag/verify.h"
#include "process/cancel.h"
#include "safety/env_policy.h"

namespace omk::cli {
namespace {

std::string text_of(const Json& json, const char* key) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

int run_verify(const std::string& run_id, bool json, const Context& context) {
  ProjectRoot root = context.project_root();
  Config config = context.config(root);
  runs::RunStore store(root.path);
  Json document = dag::verify_run(store, run_id, sandbox_policy(config, context, root, false),
                                  context.env, safety::env_policy_from_config(config, context.env));
  bool holds = document["holds"].get<bool>();
  if (json) {
    print_json(document);
    return holds ? 0 : to_int(ExitCode::kFailed);
  }
  std::string out = fmt::format("run {} ({}): {}\n", run_id, text_of(document, "run_status"),
                                holds ? "still holds" : "does NOT hold");
  for (const auto& node : document["nodes"]) {
    if (!node["checked"].get<bool>()) {
      out += fmt::format("  {:<20} not checked: {} ({})\n", text_of(node, "id"),
                         text_of(node, "state"), text_of(node, "reason"));
      continue;
    }
    out += fmt::format("  {:<20} {}\n", text_of(node, "id"),
                       node["holds"].get<bool>() ? "holds" : "FAILS");
    if (node.contains("worktree")) {
      out += fmt::format("      worktree: {}\n", text_of(node["worktree"], "reason"));
    }
    for (const auto& gate : node["gates"]) {
      out += fmt::format("      {} {} #{}: {}\n", gate["passed"].get<bool>() ? "pass" : "FAIL",
                         text_of(gate, "gate"), text_of(gate, "index"), text_of(gate, "reason"));
    }
  }
  print_out(out);
  return holds ? 0 : to_int(ExitCode::kFailed);
}

int run_replay(const std::string& run_id, const std::string& from, int workers, bool json,
               const Context& context) {
  ProjectRoot root = context.project_root();
  Config config = context.config(root);
  runs::RunStore store(root.path);
  store.require(run_id);
  Json manifest = store.load_manifest(run_id);
  dag::RunRequest request;
  request.project_root = root.path;
  request.env = context.env;
  request.env_policy = safety::env_policy_from_config(config, context.env);
  request.spec = recorded_spec(store, run_id);
  request.spec_source = manifest.value("spec_source", "");
  request.base_commit =
      manifest.value("base_commit", Json("")).is_string() ? manifest.value("base_commit", "") : "";
  request.workers =
      workers > 0 ? workers : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const Json policy = manifest.value("policy", Json::object());
  request.execution = policy.value("execution", config.string("runtime.execution"));
  request.provider = policy.value("provider", "auto") == "auto" ? "" : policy.value("provider", "");
  request.sandbox_cap = config.string("runtime.sandbox");
  request.sandbox = sandbox_policy(config, context, root, policy.value("require_sandbox", false));
  if (!from.empty() && !request.spec.find(from)) {
    throw usage_error("run " + run_id + " has no node '" + from + "' (see `omk inspect " + run_id +
                      "`)");
  }
  request.replay = dag::ReplayOf{run_id, from};
  dag::AgentRuntimeOptions options;
  options.project_root = root.path;
  options.config = config;
  options.env = context.env;
  options.execution = request.execution;
  options.provider = request.provider;
  dag::RoutedAgentRuntime agents(options);
  dag::check_runnable(request, agents);
  return execute_and_report(request, agents, json, root);
}

}  // namespace

void register_verify_command(CLI::App& app, Context& context) {
  auto run_id = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* verify = app.add_subcommand(
      "verify",
      "Check every gate of a finished run again, against its worktrees and commits; exit 0 when\n"
      "the run still holds, 1 when it does not");
  verify->add_option("RUN", *run_id, "Run id (see `omk runs`)")->required();
  verify->add_flag("--json", *json, "Print one omk.verify.v1 JSON document");
  verify->callback([&context, run_id, json] {
    context.action = [&context, run_id, json] { return run_verify(*run_id, *json, context); };
  });

  auto replay_id = std::make_shared<std::string>();
  auto from = std::make_shared<std::string>();
  auto workers = std::make_shared<int>(0);
  auto replay_json = std::make_shared<bool>(false);
  auto* replay = app.add_subcommand(
      "replay", "Run a recorded run again, from its recorded spec and base commit, as a new run");
  replay->add_option("RUN", *replay_id, "Run id (see `omk runs`)")->required();
  replay
      ->add_option("--from", *from,
                   "Re-run only this node and what depends on it; the rest keeps the recorded "
                   "results")
      ->type_name("NODE");
  replay->add_option("--workers", *workers, "Lanes running at once (default: the CPU count)")
      ->check(CLI::Range(1, 256));
  replay->add_flag("--json", *replay_json, "Stream every event as one omk.event.v1 JSON line");
  replay->callback([&context, replay_id, from, workers, replay_json] {
    context.action = [&context, replay_id, from, workers, replay_json] {
      return run_replay(*replay_id, *from, *workers, *replay_json, context);
    };
  });
}

}  // namespace omk::cli
