#pragma once

#include <filesystem>
#include <mutex>
#include <set>
#include <string>

#include "core/environment.h"
#include "dag/git.h"
#include "dag/lane_sandbox.h"
#include "dag/lane_work.h"
#include "dag/spec.h"
#include "dag/worktrees.h"
#include "process/cancel.h"
#include "runs/run_recorder.h"
#include "safety/env_policy.h"

namespace omk::dag {

// What every lane of one run shares.
struct RunSetup {
  std::filesystem::path project_root;
  std::string run_id;
  std::string base_commit;               // empty when the project is not a git repository
  const Git* git = nullptr;              // null when the project is not a git repository
  std::filesystem::path git_common_dir;  // read-only for lanes in worktrees (git status works)
  SandboxPolicy sandbox;
  EnvMap parent_env;
  safety::EnvPolicy env_policy;  // the project's [env] settings
  const process::CancelToken* cancel = nullptr;
  AgentRuntime* agents = nullptr;
  runs::RunRecorder* recorder = nullptr;
};

// One attempt of one lane, for real: a fresh worktree (or the project), the lane's command in
// its sandbox (or omk's builtin check, or the agent runtime), the lane's changes committed on its
// branch, then every evidence gate. Writes lanes/<node>/stdout.log, stderr.log, result.json.
class DagLaneWork final : public LaneWork {
 public:
  DagLaneWork(const DagSpec& spec, RunSetup setup);

  LanePlacement place(const NodeSpec& node) override;
  AttemptResult run_attempt(const AttemptRequest& request) override;

 private:
  struct Workspace {
    std::filesystem::path dir;
    std::string diff_base;
    std::string diff_head;  // empty: the working tree
  };
  Workspace workspace_of_target(const std::string& target);
  LaneCommandResult run_command(const NodeSpec& node, const CommandLine& command,
                                const std::filesystem::path& workspace,
                                const std::function<void(std::string_view)>& out,
                                const std::function<void(std::string_view)>& err);
  void write_result(const NodeSpec& node, int attempt, const AttemptResult& result);

  const DagSpec& spec_;
  RunSetup setup_;
  std::unique_ptr<Worktrees> worktrees_;
  std::filesystem::path run_dir_;
  std::mutex warned_mutex_;
  std::set<std::string> warned_nodes_;  // env warnings are shown once per node
};

}  // namespace omk::dag
