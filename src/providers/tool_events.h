#pragma once

#include <string>

#include "core/json_output.h"
#include "providers/turn.h"

namespace omk::providers {

// Maps one tool call, whatever the CLI named it, to a common event: a shell tool (Bash,
// run_shell_command, bash, exec_command, Shell) becomes a command, a file tool (Write, Edit,
// write_file, edit, replace, write, patch ...) a file change with its path, anything else a tool.
TurnEvent tool_event(const std::string& tool, const Json& input);

}  // namespace omk::providers
