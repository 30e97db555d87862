#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dag/git.h"
#include "dag/lane_sandbox.h"
#include "dag/spec.h"
#include "runs/run_records.h"

namespace omk::dag {

// Everything a gate needs to judge one attempt of one lane.
struct GateEnv {
  const NodeSpec* node = nullptr;
  int attempt = 1;
  std::filesystem::path workspace;  // where the lane ran (absolute)
  std::filesystem::path run_dir;    // artifacts are written under lanes/<node>/gates/
  const Git* git = nullptr;         // null outside a git repository
  std::string diff_base;            // the commit the lane's change is measured from
  std::string diff_head;            // worktree lanes: the lane's commit; empty: the working tree
  // Runs a gate command in the lane's sandbox with its output appended to `log`.
  std::function<LaneCommandResult(const CommandLine& command, const std::filesystem::path& log)>
      run_command;
  // The recorded state of another node (review gates).
  std::function<std::optional<runs::NodeRecord>(const std::string& node)> lookup;
};

// Checks one gate. Never throws for what the lane did; the record says why it failed.
runs::GateRecord check_gate(const GateSpec& gate, int index, const GateEnv& env);

// A path inside `root` (no '..', no symlink out of it), or nullopt.
std::optional<std::filesystem::path> contained_path(const std::filesystem::path& root,
                                                    const std::string& relative);

}  // namespace omk::dag
