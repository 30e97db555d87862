#include "dag/lane_attempt.h"

#include <fmt/format.h>

#include "core/clock.h"
#include "core/log.h"
#include "dag/builtins.h"
#include "dag/child_env.h"
#include "dag/duration.h"
#include "dag/gates.h"
#include "runs/private_files.h"

namespace omk::dag {
namespace fs = std::filesystem;
namespace {

// A lane log that starts each attempt with a marker line, written only when the attempt prints
// something (a quiet lane leaves no file).
class AttemptLog {
 public:
  AttemptLog(fs::path path, int attempt) : log_(std::move(path)), attempt_(attempt) {}
  void write(std::string_view chunk) {
    if (chunk.empty()) return;
    if (!started_) {
      started_ = true;
      log_.write(fmt::format("--- omk: attempt {} ---\n", attempt_));
    }
    log_.write(chunk);
  }
  void close() { log_.close(); }

 private:
  runs::FilteredLog log_;
  int attempt_;
  bool started_ = false;
};

AttemptResult failed(std::string outcome, std::string reason) {
  AttemptResult result;
  result.outcome =
      outcome == "cancelled" ? Scheduler::Outcome::kCancelled : Scheduler::Outcome::kFailed;
  result.outcome_name = std::move(outcome);
  result.reason = std::move(reason);
  return result;
}

}  // namespace

DagLaneWork::DagLaneWork(const DagSpec& spec, RunSetup setup)
    : spec_(spec), setup_(std::move(setup)) {
  run_dir_ = setup_.recorder->dir();
  if (setup_.git) {
    worktrees_ =
        std::make_unique<Worktrees>(*setup_.git, setup_.project_root / ".omk" / "worktrees");
  }
}

LanePlacement DagLaneWork::place(const NodeSpec& node) {
  LanePlacement placement;
  if (node.worktree && worktrees_) {
    placement.workspace =
        fs::relative(worktrees_->path(setup_.run_id, node.id), setup_.project_root).string();
    placement.branch = Worktrees::branch(setup_.run_id, node.id);
    placement.start_commit = setup_.base_commit;
  } else {
    placement.workspace = ".";
  }
  return placement;
}

DagLaneWork::Workspace DagLaneWork::workspace_of_target(const std::string& target) {
  Workspace workspace{setup_.project_root, setup_.base_commit, ""};
  if (target.empty()) return workspace;
  const NodeSpec* node = spec_.find(target);
  auto state = setup_.recorder->state();
  const runs::NodeRecord* record = state.find(target);
  if (node && node->worktree && worktrees_ && record) {
    workspace.dir = worktrees_->path(setup_.run_id, target);
    workspace.diff_base = record->start_commit.empty() ? setup_.base_commit : record->start_commit;
    workspace.diff_head = record->commit.empty() ? workspace.diff_base : record->commit;
  }
  return workspace;
}

LaneCommandResult DagLaneWork::run_command(const NodeSpec& node, const CommandLine& command,
                                           const fs::path& workspace,
                                           const std::function<void(std::string_view)>& out,
                                           const std::function<void(std::string_view)>& err) {
  LaneCommand lane;
  lane.argv = command.argv;
  lane.workspace = workspace;
  lane.profile = profile_of(node.sandbox);
  lane.network = node.network;
  if (workspace != setup_.project_root && !setup_.git_common_dir.empty()) {
    lane.readable_roots.push_back(setup_.git_common_dir);
  }
  safety::RunMetadata metadata;
  metadata.run_id = setup_.run_id;
  metadata.node_id = node.id;
  metadata.node_role = node.role.empty() ? std::string(to_string(node.kind)) : node.role;
  LaneEnvironment env = lane_environment(setup_.parent_env, node.env, metadata, setup_.env_policy);
  {
    std::lock_guard lock(warned_mutex_);
    if (!env.warnings.empty() && warned_nodes_.insert(node.id).second) {
      for (const auto& warning : env.warnings) log::warn("lane {}: {}", node.id, warning);
    }
  }
  lane.env = std::move(env.env);
  lane.timeout_ms = node.timeout_ms;
  lane.cancel = setup_.cancel;
  lane.on_stdout = out;
  lane.on_stderr = err;
  return run_lane_command(lane, setup_.sandbox);
}

void DagLaneWork::write_result(const NodeSpec& node, int attempt, const AttemptResult& result) {
  Json json = json_envelope("lane-result");
  json["run_id"] = setup_.run_id;
  json["node"] = node.id;
  json["attempt"] = attempt;
  json["outcome"] = result.outcome_name;
  if (result.exit_code) json["exit_code"] = *result.exit_code;
  json["reason"] = result.reason;
  if (!result.commit.empty()) json["commit"] = result.commit;
  json["files_changed"] = result.files_changed;
  if (!result.provider.empty()) json["provider"] = result.provider;
  if (!result.verdict.empty()) json["verdict"] = result.verdict;
  Json gates = Json::array();
  for (const auto& gate : result.gates) gates.push_back(runs::to_json(gate));
  json["gates"] = gates;
  runs::write_private_json(setup_.recorder->lane_dir(node.id) / "result.json", json);
}

AttemptResult DagLaneWork::run_attempt(const AttemptRequest& request) {
  const NodeSpec& node = *request.node;
  const int attempt = request.number;
  fs::path lane_dir = setup_.recorder->lane_dir(node.id);

  // 1. The workspace: a fresh worktree, or the project itself.
  Workspace workspace{setup_.project_root, setup_.base_commit, ""};
  const bool in_worktree = node.worktree && worktrees_;
  if (in_worktree) {
    try {
      workspace.dir = worktrees_->prepare(setup_.run_id, node.id, request.placement.start_commit);
    } catch (const std::exception& error) {
      auto result =
          failed("failed", std::string("could not create the lane's worktree: ") + error.what());
      write_result(node, attempt, result);
      return result;
    }
    workspace.diff_base = request.placement.start_commit;
  }

  // 2. The lane's own work.
  AttemptResult result;
  AttemptLog out(lane_dir / "stdout.log", attempt), err(lane_dir / "stderr.log", attempt);
  auto on_out = [&](std::string_view chunk) {
    out.write(chunk);
    if (request.on_output) request.on_output(chunk);
  };
  auto on_err = [&](std::string_view chunk) {
    err.write(chunk);
    if (request.on_output) request.on_output(chunk);
  };
  switch (node.kind) {
    case NodeKind::kCommand: {
      LaneCommandResult ran = run_command(node, node.run, workspace.dir, on_out, on_err);
      result.exit_code = ran.exit_code;
      if (!ran.start_error.empty()) {
        result =
            failed("failed", "could not start " + node.run.argv.front() + ": " + ran.start_error);
        result.exit_code = ran.exit_code;
      } else if (ran.cancelled) {
        result = failed("cancelled", "cancelled: omk was interrupted");
      } else if (ran.timed_out) {
        result = failed("timeout", "timed out after " + format_duration_ms(node.timeout_ms));
        result.exit_code = ran.exit_code;
      } else if (ran.exit_code != 0) {
        result = failed("failed", fmt::format("{} exited {}", node.run.brief(), ran.exit_code));
        result.exit_code = ran.exit_code;
      } else {
        result.outcome = Scheduler::Outcome::kDone;
        result.outcome_name = "done";
      }
      break;
    }
    case NodeKind::kBuiltin: {
      Workspace target = workspace_of_target(node.target);
      BuiltinEnv env;
      env.workspace = target.dir;
      env.project_root = setup_.project_root;
      env.git = setup_.git;
      env.diff_base = target.diff_base;
      env.diff_head = target.diff_head;
      env.home = env_value(setup_.parent_env, "HOME").value_or("");
      BuiltinResult ran = run_builtin(node, env);
      runs::write_private_json(lane_dir / "report.json", ran.report);
      on_out(ran.reason + "\n");
      result.outcome = ran.passed ? Scheduler::Outcome::kDone : Scheduler::Outcome::kFailed;
      result.outcome_name = ran.passed ? "done" : "failed";
      if (!ran.passed) result.reason = node.builtin + ": " + ran.reason;
      break;
    }
    case NodeKind::kAgent: {
      if (auto why = setup_.agents->unavailable(node)) {
        result = failed("failed", *why);
      } else {
        // The agent's events go to the lane's stdout.log (through the redactor) and progress.
        AttemptRequest agent_request = request;
        agent_request.on_output = on_out;
        result = setup_.agents->run(agent_request, workspace.dir.string());
      }
      break;
    }
  }
  out.close();
  err.close();

  // 3. A worktree lane's changes become one commit on its branch, before the gates look.
  if (in_worktree && result.outcome == Scheduler::Outcome::kDone) {
    try {
      LaneCommit commit = worktrees_->commit(
          setup_.run_id, node.id, workspace.diff_base,
          fmt::format("omk: lane {} of run {} (attempt {})", node.id, setup_.run_id, attempt));
      result.commit = commit.commit;
      result.files_changed = commit.files_changed;
      workspace.diff_head = commit.commit;
    } catch (const std::exception& error) {
      result =
          failed("failed", std::string("could not commit the lane's changes: ") + error.what());
    }
  }

  // 4. Evidence: done only when every gate passes.
  if (result.outcome == Scheduler::Outcome::kDone) {
    GateEnv env;
    env.node = &node;
    env.attempt = attempt;
    env.workspace = workspace.dir;
    env.run_dir = run_dir_;
    env.git = setup_.git;
    env.diff_base = workspace.diff_base;
    env.diff_head = workspace.diff_head;
    env.run_command = [&](const CommandLine& command, const fs::path& log_path) {
      runs::FilteredLog log(log_path);
      auto sink = [&](std::string_view chunk) { log.write(chunk); };
      LaneCommandResult ran = run_command(node, command, workspace.dir, sink, sink);
      log.close();
      return ran;
    };
    env.lookup = [this](const std::string& id) -> std::optional<runs::NodeRecord> {
      auto state = setup_.recorder->state();
      if (const auto* record = state.find(id)) return *record;
      return std::nullopt;
    };
    std::vector<std::string> failed_gates;
    for (size_t i = 0; i < node.evidence.size(); ++i) {
      if (setup_.cancel && setup_.cancel->cancelled()) {
        result = failed("cancelled", "cancelled: omk was interrupted");
        break;
      }
      auto record = check_gate(node.evidence[i], static_cast<int>(i), env);
      if (!record.passed)
        failed_gates.push_back(fmt::format("{} #{}: {}", record.gate, i, record.reason));
      result.gates.push_back(std::move(record));
    }
    if (!failed_gates.empty() && result.outcome == Scheduler::Outcome::kDone) {
      result.outcome = Scheduler::Outcome::kFailed;
      result.outcome_name = "failed";
      result.reason =
          "gate failed: " + failed_gates.front() +
          (failed_gates.size() > 1 ? fmt::format(" (and {} more)", failed_gates.size() - 1) : "");
    }
  }
  write_result(node, attempt, result);
  if (node.kind == NodeKind::kAgent) setup_.agents->attempt_finished(request, result);
  return result;
}

}  // namespace omk::dag
