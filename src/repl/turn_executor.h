#pragma once

#include <string>

#include "core/json_output.h"
#include "repl/session.h"
#include "routing/turn_runner.h"

namespace omk::repl {

struct TurnReport {
  std::string node;
  int exit_code = 1;    // the turn's (0 ok, 1 failed, 2 usage, 3 refused, 4 no provider, 124, 130)
  std::string message;  // one line for the user when it did not succeed
  Json document;        // omk.turn.v1
};

// One turn of the session: routed and run (routing::run_routed_turn) with its output streamed
// live, Ctrl-C (SIGINT/SIGTERM) cancelling the agent's process group, y/N approvals asked on the
// terminal when the session is interactive (refused otherwise), checklists in the final answer
// synced to .omk/todos.json, and everything recorded in the session's run. `json`: stdout is
// kept for the caller's document, so the stream goes to stderr and no summary is printed.
TurnReport execute_turn(Session& session, const std::string& text, bool json);

}  // namespace omk::repl
