#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/environment.h"

namespace omk::repl {

// Runs `omk --project ROOT ARGS...` (this very binary) on the terminal and waits for it: the
// slash commands that are whole CLI commands (/doctor, /mcp check) run exactly what their
// command does. Ctrl-C reaches that child (it is in the terminal's foreground group), not the
// session. `env` is omk's own environment with the session's overrides (--mcp-scope).
// Returns its exit code.
int run_self(const std::filesystem::path& project_root, const std::vector<std::string>& args,
             const EnvMap& env);

}  // namespace omk::repl
