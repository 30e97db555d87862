#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "safety/guard_shell_state.h"
#include "safety/guard_types.h"
#include "safety/shell_ast.h"

namespace omk::guard {

// The result of following a substitution: which invocations it produced, and its output when
// that is knowable without running anything ($(echo /), $(pwd)).
struct SubstitutionResult {
  std::vector<size_t> invocations;
  std::optional<std::string> output;
};
using SubstitutionWalker = std::function<SubstitutionResult(const shell::ListPtr&)>;

// Expands a word as the shell would, as far as that is possible without running anything:
// quote removal, tilde, known variables (with field splitting when unquoted), ${x:-default},
// $(echo literal), brace expansion. Every substitution is handed to `walk` so what it runs is
// seen. `split` is false where the shell does not split (assignments, redirection targets).
std::vector<Arg> expand_word(const shell::Word& word, const ShellState& state,
                             const GuardContext& context, const SubstitutionWalker& walk,
                             bool split = true);

// The same, joined into one word.
Arg expand_single(const shell::Word& word, const ShellState& state, const GuardContext& context,
                  const SubstitutionWalker& walk);

// {a,b}c -> ac bc (comma lists only, nested allowed, at most `limit` results).
std::vector<std::string> brace_expand(const std::string& text, size_t limit = 256);

}  // namespace omk::guard
