#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/json_output.h"
#include "process/cancel.h"
#include "repl/session.h"
#include "routing/turn_runner.h"
#include "routing/turn_worktree.h"

namespace omk::repl {

// Where a turn's agent works: the project itself (read and merge turns, `[runtime]
// isolate_turns = false`, outside a git repository), or for write and shell turns a disposable
// git worktree of HEAD plus the user's uncommitted and untracked changes, applied back after.
struct TurnWorkspace {
  std::filesystem::path path;  // TurnRun::workspace
  std::optional<routing::TurnWorktree> worktree;
  std::string note;  // why an isolating turn runs in place ("" otherwise)
};

TurnWorkspace prepare_turn_workspace(const Session& session, const routing::RouteExplanation& route,
                                     const std::string& node);

// What became of an isolated turn's changes.
struct ApplyOutcome {
  Json document;  // omk.turn.v1 "workspace"
  // Set when the turn succeeded but its changes did not reach the project (conflicts, declined):
  // the turn then reports failure with this message; the worktree is kept for inspection.
  std::optional<std::string> not_applied;
};

// Shows the diff summary and applies it back: asked under --execution ask on a terminal,
// directly under auto; never after a failed turn; conflicts are reported and nothing is
// written. The worktree is removed once nothing in it is still needed.
ApplyOutcome finish_turn_workspace(const Session& session, TurnWorkspace& workspace,
                                   const routing::RoutedTurn& turn, bool json,
                                   const process::CancelToken* cancel);

}  // namespace omk::repl
