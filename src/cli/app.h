#pragma once

namespace omk::cli {

// Parses the command line, runs the chosen command and returns the process exit code.
// User errors become one line on stderr and exit 2/3/4; nothing escapes as an exception.
int run(int argc, char** argv);

}  // namespace omk::cli
