#pragma once

#include <string>

#include "repl/session.h"

namespace omk::repl {

// Where a turn would go right now, in one line: the provider a read turn routes to (and the
// user's choice), or why no provider can take a turn. Offline: the health is the startup one.
std::string provider_line(const Session& session);

// The startup banner: project, provider resolution, execution and sandbox, the MCP summary.
std::string startup_banner(const Session& session);

// /status: the banner's facts plus the session's run, turns, risk override and todos.
std::string status_text(const Session& session);

}  // namespace omk::repl
