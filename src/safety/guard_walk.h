#pragma once

#include <string_view>

#include "safety/guard_types.h"

namespace omk::guard {

// Takes a command line apart the way the shell would run it and lists every invocation that may
// run: each simple command of every pipeline, substitution, loop and function body, and what
// each wrapper runs (sudo, env, xargs, find -exec, bash -c, eval, interpreters reading code).
// Input the parser cannot take apart becomes a "parse-error" finding, never an empty analysis.
Analysis analyze_shell(std::string_view command, const GuardContext& context);

}  // namespace omk::guard
