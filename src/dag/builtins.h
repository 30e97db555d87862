#pragma once

#include <filesystem>
#include <string>

#include "core/json_output.h"
#include "dag/git.h"
#include "dag/spec.h"

namespace omk::dag {

// omk's own checks, run as lanes (`kind: builtin`):
//   secrets-scan  the secret scanner over the workspace (the target lane's, else the project)
//   guard-check   the command guard over the target lane's change: every file it writes or
//                 deletes, and every shell script it leaves, judged as the guard judges an
//                 agent's actions; a deny fails the lane, an ask is reported.
struct BuiltinEnv {
  std::filesystem::path workspace;  // the directory checked
  // Where the change lands: the guard judges a worktree lane's files as the project's own.
  std::filesystem::path project_root;
  const Git* git = nullptr;
  std::string diff_base;  // the change checked (guard-check)
  std::string diff_head;
  std::string home;  // the user's HOME, for the guard's rules about ~
};

struct BuiltinResult {
  bool passed = false;
  std::string reason;
  Json report = Json::object();  // written to lanes/<node>/report.json
};

BuiltinResult run_builtin(const NodeSpec& node, const BuiltinEnv& env);

}  // namespace omk::dag
