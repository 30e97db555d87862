#include "repl/turn_workspace.h"

namespace omk::repl {

TurnWorkspace prepare_turn_workspace(const Session& session,
                                     const routing::RouteExplanation& /*route*/,
                                     const std::string& /*node*/) {
  // Not wired yet: routing/turn_worktree.h (create_turn_worktree, apply_turn_changes) has not
  // landed on this branch. In place, as `[runtime] isolate_turns = false` would run it.
  return {session.options.project_root, false};
}

}  // namespace omk::repl
