#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "safety/guard_types.h"
#include "safety/shell_ast.h"

namespace omk::guard {

// What the guard knows about the shell while it follows a command line: variables assigned so
// far, the working directory after `cd`, functions defined, positional parameters in a function.
struct ShellState {
  std::map<std::string, std::optional<std::string>> vars;  // nullopt: assigned, value unknown
  std::optional<std::vector<std::string>> positional;      // $1..., when a known call set them
  std::string cwd;                                         // "" once a `cd` went somewhere unknown
  std::map<std::string, shell::ListPtr> functions;
  std::vector<std::string> call_stack;         // functions being followed, for recursion
  bool concurrent = false;                     // inside a multi-stage pipeline or a background job
  size_t code_depth = 0;                       // bash -c inside bash -c ...
  std::set<std::string> downloaded;            // files a network fetch wrote to earlier in the line
  std::map<std::string, std::string> written;  // scripts written earlier (echo ... > x.sh)
};

// What a command that runs in the current shell changes there: cd/pushd move the working
// directory, export/declare/local/readonly/unset/read change variables, sourcing a virtualenv's
// activate script marks pip installs as local.
void apply_shell_effects(const Invocation& invocation, ShellState& state,
                         const GuardContext& context);

// echo/printf/cat <<EOF with a known output redirected to a file: the script a later
// `bash file` or `./file` in the same line runs.
void remember_written_script(const Invocation& invocation, ShellState& state);

}  // namespace omk::guard
