#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace omk::routing {

// A token of a lower-cased English prompt.
struct PromptToken {
  enum class Kind {
    kWord,      // letters and apostrophes: "fix", "don't"
    kCompound,  // letters joined by hyphens: "merge-sort", "cherry-pick"
    kIdent,     // anything with digits, '_', '.', '/' or a leading '-': "v1.0", "src/", "--json"
    kCode,      // the inside of a `backtick` span
    kForeign,   // a run of non-ASCII text (Korean, ...), analysed separately
  };
  Kind kind = Kind::kWord;
  std::string text;
};

// A stretch of a prompt between clause boundaries: punctuation (. , ; : ! ? newline
// parentheses), coordinators (and, then, but, also, plus, so) and subordinators (if, when,
// before, after, because, ...). Verbs only ask for an action at the start of a main clause.
struct PromptClause {
  std::vector<PromptToken> tokens;
  bool subordinate = false;        // began with if/when/before/... : describes, never commands
  bool after_coordinator = false;  // began with and/or/then (negation may carry over "or")
  bool ends_sentence = false;      // followed by . ! ? or a newline
  bool ends_question = false;      // followed by ?
};

// ASCII lower-casing; other bytes unchanged. Curly apostrophes become '.
std::string lower_prompt(std::string_view prompt);

// Splits a lower-cased prompt into clauses of tokens.
std::vector<PromptClause> split_clauses(std::string_view lowered);

}  // namespace omk::routing
