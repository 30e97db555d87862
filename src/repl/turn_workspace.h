#pragma once

#include <filesystem>
#include <string>

#include "repl/session.h"
#include "routing/turn_runner.h"

namespace omk::repl {

// Where a turn's agent works. Write, shell and merge turns are meant to run in a disposable
// git worktree whose changes are shown and applied back (the routing layer's turn worktree,
// being built on another branch); until it lands every turn runs in the project itself. This
// is the one place that decision is made.
struct TurnWorkspace {
  std::filesystem::path path;  // TurnRun::workspace
  bool isolated = false;       // a disposable worktree that must be applied back
};

TurnWorkspace prepare_turn_workspace(const Session& session, const routing::RouteExplanation& route,
                                     const std::string& node);

}  // namespace omk::repl
