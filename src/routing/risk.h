#pragma once

#include "providers/capabilities.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omk::routing {

// How much a turn may do, in increasing order: read the workspace, edit it, run commands in it,
// or let something leave the machine / land on a shared branch (push, merge, publish, deploy).
// providers::Risk, whose declaration order (read < write < shell < merge) max() relies on.
using providers::parse_risk;
using providers::Risk;
using providers::to_string;

// One word (or phrase) of the prompt that asked for an action. Negated matches ("don't edit")
// are reported too, so `omk route explain` can show why they did not count.
struct RiskMatch {
  std::string word;  // as written, lower-cased ("fixing", "수정해줘", "git push")
  Risk risk = Risk::kRead;
  bool negated = false;
};

struct RiskAssessment {
  Risk risk = Risk::kRead;  // the highest non-negated match; read when nothing matched
  std::vector<RiskMatch> matches;
  // The prompt asked explicitly for no changes ("without changing files", "읽기 전용").
  bool read_only_requested = false;
};

// Infers a turn's risk from the user's own text (never from omk's envelope around it).
// Actions count only where the prompt asks for them: the verb of an imperative or request
// clause in English (not inside a question, a subordinate clause, a compound such as
// "merge-sort", or a negation such as "don't edit" / "without running"), a Korean predicate
// with a request or sequence ending (not a conditional, relative or negated form), or a pasted
// command line (`npm test`, `git push`). Deterministic and total: any bytes are accepted.
RiskAssessment classify_risk(std::string_view prompt);

}  // namespace omk::routing
