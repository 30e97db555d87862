#include "dag/run_driver.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <tuple>

#include "core/error.h"
#include "core/ids.h"
#include "dag/executor.h"
#include "dag/graph.h"
#include "dag/lane_attempt.h"
#include "dag/spec_json.h"
#include "runs/run_recorder.h"
#include "runs/run_store.h"

namespace omk::dag {
namespace fs = std::filesystem;
namespace {

int sandbox_rank(const std::string& profile) {
  if (profile == "read-only") return 0;
  if (profile == "workspace-write") return 1;
  return 2;
}

Json policy_json(const RunRequest& request) {
  return {{"workers", request.workers},
          {"execution", request.execution},
          {"provider", request.provider.empty() ? "auto" : request.provider},
          {"sandbox_cap", request.sandbox_cap},
          {"require_sandbox", request.sandbox.require}};
}

// Names of what each lane was given. Command and builtin lanes get no MCP servers, skills,
// hooks or tools; an agent lane's entry is filled when its runtime is chosen.
Json harness_json(const DagSpec& spec) {
  Json lanes = Json::object();
  for (const auto& node : spec.nodes) {
    lanes[node.id] = {{"kind", std::string(to_string(node.kind))},
                      {"mcp_servers", Json::array()},
                      {"skills", Json::array()},
                      {"hooks", Json::array()},
                      {"tools", Json::array()}};
  }
  return lanes;
}

std::vector<int> waves(const DagSpec& spec, const Graph& graph) {
  std::vector<int> wave(spec.nodes.size(), 0);
  for (int node : graph.topological) {
    for (int dep : graph.deps[static_cast<size_t>(node)]) {
      wave[static_cast<size_t>(node)] =
          std::max(wave[static_cast<size_t>(node)], wave[static_cast<size_t>(dep)] + 1);
    }
  }
  return wave;
}

}  // namespace

std::string project_head(const fs::path& project_root) {
  Git git(project_root);
  if (!git.is_repository()) return "";
  return git.head().value_or("");
}

void check_runnable(const RunRequest& request, const AgentRuntime& agents) {
  if (!request.provider.empty()) {
    const auto& known = known_provider_names();
    if (std::find(known.begin(), known.end(), request.provider) == known.end()) {
      throw usage_error("--provider " + request.provider + " is not a known provider (one of: " +
                        fmt::format("{}", fmt::join(known, ", ")) + ")");
    }
  }
  std::vector<std::string> agent_problems, sandbox_problems, worktree_problems;
  for (const auto& node : request.spec.nodes) {
    if (node.kind == NodeKind::kAgent && !node.optional) {
      if (auto why = agents.unavailable(node)) agent_problems.push_back(node.id + ": " + *why);
    }
    if (sandbox_rank(node.sandbox) > sandbox_rank(request.sandbox_cap)) {
      sandbox_problems.push_back(node.id + " asks for " + node.sandbox);
    }
    if (node.worktree && request.base_commit.empty()) worktree_problems.push_back(node.id);
  }
  if (!agent_problems.empty()) {
    throw UserError(
        ExitCode::kNoProvider,
        "cannot run required agent lanes: " + fmt::format("{}", fmt::join(agent_problems, "; ")) +
            ". Mark them `optional: true` (they are then skipped with this reason) "
            "or remove them");
  }
  if (!sandbox_problems.empty()) {
    throw policy_error("the project allows lanes at most the " + request.sandbox_cap +
                       " sandbox ([runtime] sandbox in .omk/config.toml), but " +
                       fmt::format("{}", fmt::join(sandbox_problems, ", ")));
  }
  if (!worktree_problems.empty()) {
    throw usage_error("lanes " + fmt::format("{}", fmt::join(worktree_problems, ", ")) +
                      " need a git worktree, but " + request.project_root.string() +
                      " is not a git repository with a commit; commit first or set "
                      "`worktree: false`");
  }
}

Json plan_json(const RunRequest& request, const AgentRuntime& agents) {
  Graph graph = build_graph(request.spec);
  auto wave = waves(request.spec, graph);
  Json document = json_envelope("run-plan");
  document["spec_source"] = request.spec_source;
  document["spec_hash"] = spec_hash(request.spec);
  document["base_commit"] = request.base_commit.empty() ? Json(nullptr) : Json(request.base_commit);
  document["policy"] = policy_json(request);
  Json nodes = Json::array();
  std::vector<int> order = graph.topological;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return std::tie(wave[static_cast<size_t>(a)], a) < std::tie(wave[static_cast<size_t>(b)], b);
  });
  for (int index : order) {
    const NodeSpec& node = request.spec.nodes[static_cast<size_t>(index)];
    Json gates = Json::array();
    for (const auto& gate : node.evidence) gates.push_back(std::string(to_string(gate.kind)));
    Json entry = {{"id", node.id},
                  {"kind", std::string(to_string(node.kind))},
                  {"wave", wave[static_cast<size_t>(index)]},
                  {"depends_on", node.depends_on},
                  {"workspace", node.worktree ? ".omk/worktrees/<run>/" + node.id : "."},
                  {"sandbox", node.sandbox},
                  {"network", node.network},
                  {"optional", node.optional},
                  {"gates", gates}};
    auto why = node.kind == NodeKind::kAgent ? agents.unavailable(node) : std::nullopt;
    entry["action"] = why ? "skip" : "run";
    if (why) entry["reason"] = *why;
    nodes.push_back(entry);
  }
  document["nodes"] = nodes;
  return document;
}

RunOutcome execute_run(RunRequest request, AgentRuntime& agents, process::CancelToken& cancel,
                       const RunObservers& observers) {
  if (!request.provider.empty()) {
    for (auto& node : request.spec.nodes) {
      if (node.kind == NodeKind::kAgent && node.provider == "auto")
        node.provider = request.provider;
    }
  }
  runs::RunStore store(request.project_root);
  Git git(request.project_root);
  const bool repository = !request.base_commit.empty() || git.is_repository();

  std::unique_ptr<runs::RunRecorder> recorder;
  if (request.resume) {
    recorder = runs::RunRecorder::resume(store, *request.resume, observers.on_event);
  } else {
    runs::NewRun run;
    Json manifest = {
        {"goal", request.spec.goal},
        {"spec_source", request.spec_source},
        {"spec_hash", spec_hash(request.spec)},
        {"spec", spec_to_json(request.spec)},
        {"base_commit", request.base_commit.empty() ? Json(nullptr) : Json(request.base_commit)},
        {"policy", policy_json(request)}};
    Json warnings = Json::array();
    if (request.replay) {
      manifest["replay_of"] = {
          {"run_id", request.replay->run_id},
          {"from",
           request.replay->from_node.empty() ? Json(nullptr) : Json(request.replay->from_node)}};
      std::string head = project_head(request.project_root);
      if (head != request.base_commit) {
        warnings.push_back("lanes without a worktree run in the project as it is now (HEAD " +
                           (head.empty() ? std::string("none") : head.substr(0, 12)) +
                           "), not at the recorded base commit " +
                           request.base_commit.substr(0, 12));
      }
    }
    manifest["warnings"] = warnings;
    run.manifest = manifest;
    for (const auto& node : request.spec.nodes) {
      run.nodes.push_back({node.id, std::string(to_string(node.kind)), node.optional});
    }
    for (int tries = 0;; ++tries) {
      run.run_id = new_run_id();
      try {
        recorder = runs::RunRecorder::create(store, run, observers.on_event);
        break;
      } catch (const UserError&) {
        if (tries >= 5) throw;  // a run id collision is astronomically rare; retry a few times
      }
    }
  }
  if (observers.on_start) observers.on_start(recorder->run_id());
  recorder->write_harness(harness_json(request.spec));

  RunSetup setup;
  setup.project_root = request.project_root;
  setup.run_id = recorder->run_id();
  setup.base_commit = request.base_commit;
  setup.git = repository ? &git : nullptr;
  if (repository) {
    ToolResult common = git.run({"rev-parse", "--path-format=absolute", "--git-common-dir"});
    if (common.ok()) {
      std::string dir = common.out;
      while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r')) dir.pop_back();
      setup.git_common_dir = dir;
    }
  }
  setup.sandbox = request.sandbox;
  setup.parent_env = request.env;
  setup.env_policy = request.env_policy;
  setup.cancel = &cancel;
  setup.agents = &agents;
  setup.recorder = recorder.get();

  if (request.replay && !request.replay->from_node.empty() && !request.resume) {
    // Everything not downstream of --from keeps the earlier run's result.
    DagSpec& spec = request.spec;
    Graph graph = build_graph(spec);
    auto rerun = graph.downstream_of(spec.index_of(request.replay->from_node));
    runs::RunState earlier = store.load_state(request.replay->run_id);
    for (size_t i = 0; i < spec.nodes.size(); ++i) {
      if (std::binary_search(rerun.begin(), rerun.end(), static_cast<int>(i))) continue;
      const auto& node = spec.nodes[i];
      const runs::NodeRecord* record = earlier.find(node.id);
      if (!record || record->state != runs::NodeState::kDone) continue;
      Json data = {{"state", "done"},
                   {"reason", "reused from run " + request.replay->run_id + " (not re-run)"},
                   {"files_changed", record->files_changed}};
      if (!record->verdict.empty()) data["verdict"] = record->verdict;
      if (!record->commit.empty() && repository) {
        std::string branch = Worktrees::branch(setup.run_id, node.id);
        git.must({"branch", "--force", branch, record->commit});
        data["branch"] = branch;
        data["commit"] = record->commit;
        data["start_commit"] = record->start_commit;
        data["workspace"] = record->workspace;
      }
      recorder->emit("node.reused", node.id, data);
    }
  }

  AgentRunContext agent_run;
  agent_run.spec = &request.spec;
  agent_run.recorder = recorder.get();
  agent_run.run_id = recorder->run_id();
  agent_run.base_commit = request.base_commit;
  agent_run.cancel = &cancel;
  agents.begin_run(agent_run);

  DagLaneWork work(request.spec, setup);
  ExecutorOptions options;
  options.workers = request.workers;
  options.cancel_requested = [&cancel] { return cancel.cancelled(); };
  options.on_output = observers.on_output;
  Executor executor(request.spec, *recorder, work, agents, options);
  RunOutcome outcome;
  outcome.run_id = recorder->run_id();
  outcome.status = executor.run();
  return outcome;
}

}  // namespace omk::dag
