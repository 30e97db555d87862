#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "routing/risk.h"

namespace omk::routing {

// How a verb form was written: the imperative "fix", the gerund "fixing" ("try compiling",
// "without changing") or the -s form ("fixes for the warnings please").
enum class VerbForm { kBase, kIng, kS };

struct VerbEntry {
  std::string lemma;
  Risk risk = Risk::kRead;  // before the object-dependent refinements in english_risk.cc
  VerbForm form = VerbForm::kBase;
};

// The action verbs omk knows, by any of their forms ("fix", "fixes", "fixing"; "run",
// "running"; "cherry-pick"). Read verbs are listed too so explanations can name them.
std::optional<VerbEntry> lookup_verb(std::string_view word);

// Inflections of a lemma, exposed for tests: {"commit", "commits", "committing"}.
struct VerbForms {
  std::string base, s, ing;
};
VerbForms inflect(std::string_view lemma);

}  // namespace omk::routing
