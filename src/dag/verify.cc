#include "dag/verify.h"

#include <fmt/format.h>

#include "core/clock.h"
#include "core/error.h"
#include "dag/child_env.h"
#include "dag/gates.h"
#include "dag/git.h"
#include "dag/spec_json.h"
#include "dag/worktrees.h"
#include "runs/private_files.h"

namespace omk::dag {
namespace fs = std::filesystem;
namespace {

std::string string_or(const Json& json, const char* key) {
  auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Where a node's gates are checked again, and whether that place still is what the run left.
struct Place {
  fs::path dir;
  std::string diff_base;
  std::string diff_head;
  bool temporary = false;  // a detached worktree made for this check
  Json check = nullptr;    // the worktree check, when there is one
  bool holds = true;
};

Place place_for(const NodeSpec& node, const runs::NodeRecord& record, const fs::path& root,
                const std::string& run_id, const std::string& base, const Git* git,
                Worktrees* worktrees) {
  Place place{root, base, "", false, nullptr, true};
  if (!node.worktree || !git || !worktrees) return place;
  std::string commit = record.commit.empty() ? record.start_commit : record.commit;
  place.diff_base = record.start_commit.empty() ? base : record.start_commit;
  place.diff_head = commit;
  fs::path dir = worktrees->path(run_id, node.id);
  std::error_code ec;
  if (fs::exists(dir / ".git", ec)) {
    place.dir = dir;
    auto head = git->head_in(dir);
    std::string tracked = git->run_in(dir, {"status", "--porcelain", "--untracked-files=no"}).out;
    if (!head || *head != commit) {
      place.holds = false;
      place.check = {{"passed", false},
                     {"reason", "the worktree's HEAD moved to " + head.value_or("nothing") +
                                    "; the run recorded " + commit}};
    } else if (!tracked.empty()) {
      place.holds = false;
      place.check = {
          {"passed", false},
          {"reason", "files in the worktree changed since the run: " +
                         std::to_string(split_lines(tracked).size()) + " tracked file(s)"}};
    } else {
      place.check = {{"passed", true}, {"reason", "the worktree matches commit " + commit}};
    }
    return place;
  }
  try {
    place.dir = worktrees->checkout_detached(run_id, node.id, commit);
    place.temporary = true;
    place.check = {
        {"passed", true},
        {"reason", "the lane's worktree was removed; checked a fresh checkout of " + commit}};
  } catch (const std::exception& error) {
    place.holds = false;
    place.check = {
        {"passed", false},
        {"reason", std::string("the recorded commit cannot be checked out: ") + error.what()}};
  }
  return place;
}

}  // namespace

Json verify_run(const runs::RunStore& store, const std::string& run_id,
                const SandboxPolicy& sandbox, const EnvMap& env,
                const safety::EnvPolicy& env_policy) {
  store.require(run_id);
  fs::path run_dir = store.run_dir(run_id);
  auto lock = runs::RunLock::try_acquire(run_dir);
  if (!lock)
    throw usage_error("run " + run_id + " is still running; verify it when it has finished");
  Json manifest = store.load_manifest(run_id);
  runs::RunState state = store.load_state(run_id);
  DagSpec spec = spec_from_json(manifest.value("spec", Json::object()), "run " + run_id);
  const fs::path root = store.project_root();
  const std::string base = string_or(manifest, "base_commit");
  Git git(root);
  const bool repository = git.is_repository();
  Worktrees worktrees(git, store.worktrees_dir());

  Json nodes = Json::array();
  bool holds = store.effective_status(run_id, manifest, state) == runs::RunStatus::kSucceeded;
  int checked = 0, failed_gates = 0;
  for (const auto& node : spec.nodes) {
    const runs::NodeRecord* record = state.find(node.id);
    Json entry = {{"id", node.id},
                  {"state", record ? std::string(runs::to_string(record->state)) : "unknown"}};
    if (!record || record->state != runs::NodeState::kDone) {
      entry["checked"] = false;
      entry["holds"] = node.optional;
      if (!node.optional) holds = false;
      entry["reason"] =
          record && !record->reason.empty() ? record->reason : "the node was not done";
      nodes.push_back(entry);
      continue;
    }
    ++checked;
    Place place = place_for(node, *record, root, run_id, base, repository ? &git : nullptr,
                            repository ? &worktrees : nullptr);
    entry["checked"] = true;
    entry["workspace"] = fs::relative(place.dir, root).string();
    if (!place.check.is_null()) entry["worktree"] = place.check;
    bool node_holds = place.holds;
    Json gates = Json::array();
    if (place.check.is_null() || place.check.value("passed", false) || place.dir != root) {
      GateEnv gate_env;
      gate_env.node = &node;
      gate_env.attempt = 0;
      gate_env.workspace = place.dir;
      gate_env.run_dir = run_dir / "verify";
      gate_env.git = repository ? &git : nullptr;
      gate_env.diff_base = place.diff_base;
      gate_env.diff_head = place.diff_head;
      gate_env.run_command = [&](const CommandLine& command, const fs::path& log_path) {
        runs::FilteredLog log(log_path);
        auto sink = [&](std::string_view chunk) { log.write(chunk); };
        LaneCommand lane;
        lane.argv = command.argv;
        lane.workspace = place.dir;
        lane.profile = profile_of(node.sandbox);
        lane.network = node.network;
        safety::RunMetadata metadata;
        metadata.run_id = run_id;
        metadata.node_id = node.id;
        metadata.node_role = node.role.empty() ? std::string(to_string(node.kind)) : node.role;
        lane.env = lane_environment(env, node.env, metadata, env_policy).env;
        lane.timeout_ms = node.timeout_ms;
        lane.on_stdout = sink;
        lane.on_stderr = sink;
        LaneCommandResult result = run_lane_command(lane, sandbox);
        log.close();
        return result;
      };
      gate_env.lookup = [&state](const std::string& id) -> std::optional<runs::NodeRecord> {
        if (const auto* other = state.find(id)) return *other;
        return std::nullopt;
      };
      const auto* recorded = record->attempts.empty() ? nullptr : &record->attempts.back();
      for (size_t i = 0; i < node.evidence.size(); ++i) {
        runs::GateRecord result = check_gate(node.evidence[i], static_cast<int>(i), gate_env);
        Json gate = runs::to_json(result);
        for (auto& artifact : gate["artifacts"]) artifact = "verify/" + artifact.get<std::string>();
        if (recorded && i < recorded->gates.size())
          gate["recorded_passed"] = recorded->gates[i].passed;
        if (!result.passed) {
          node_holds = false;
          ++failed_gates;
        }
        gates.push_back(gate);
      }
    }
    if (place.temporary) worktrees.remove(run_id, node.id);
    entry["gates"] = gates;
    entry["holds"] = node_holds;
    if (!node_holds) holds = false;
    nodes.push_back(entry);
  }
  Json document = json_envelope("verify");
  document["run_id"] = run_id;
  document["run_status"] =
      std::string(runs::to_string(store.effective_status(run_id, manifest, state)));
  document["checked_at"] = utc_timestamp();
  document["holds"] = holds;
  document["nodes_checked"] = checked;
  document["gates_failed"] = failed_gates;
  document["nodes"] = nodes;
  runs::write_private_json(run_dir / "verify.json", document);
  return document;
}

}  // namespace omk::dag
