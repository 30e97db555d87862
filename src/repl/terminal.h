#pragma once

#include <string>

#include "process/cancel.h"

namespace omk::repl {

bool stdin_is_terminal();

// Asks `question` on the terminal (stdin) and waits for a line: true only for y or yes.
// Ctrl-C (the cancel token) or end of input answer no.
bool ask_yes_no(const std::string& question, const process::CancelToken* cancel);

}  // namespace omk::repl
