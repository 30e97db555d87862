#pragma once

#include <vector>

#include "safety/guard_programs.h"
#include "safety/guard_types.h"

namespace omk::guard {

// The built-in judgement of one invocation of an analysis: what it does, not how it is spelled.
// Every finding that is not "allow" is returned with the rule id, a reason and the fragment.
std::vector<Reason> judge_invocation(const Analysis& analysis, size_t index,
                                     const GuardContext& context);

// Judges interpreter code given inline (python -c, node -e, perl -e ...): shell commands it
// runs, files it deletes, secrets it reads, code it downloads or decodes and evaluates.
std::vector<Reason> judge_inline_code(Language language, std::string_view code,
                                      const GuardContext& context, std::string_view cwd);

}  // namespace omk::guard
