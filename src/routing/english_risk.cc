#include "routing/english_risk.h"

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>

#include "routing/command_line.h"
#include "routing/english_lexicon.h"
#include "routing/english_words.h"
#include "routing/prompt_tokens.h"

namespace omk::routing {
namespace {

using Tokens = std::vector<PromptToken>;
using english::Phrase;
using namespace english;  // the word lists

bool in(std::span<const std::string_view> list, std::string_view word) {
  for (std::string_view item : list) {
    if (item == word) return true;
  }
  return false;
}

bool in(std::initializer_list<std::string_view> list, std::string_view word) {
  return in(std::span<const std::string_view>(list.begin(), list.size()), word);
}

bool is_wordlike(const PromptToken& token) {
  return token.kind == PromptToken::Kind::kWord || token.kind == PromptToken::Kind::kCompound;
}

std::string_view word_at(const Tokens& tokens, size_t i) {
  if (i >= tokens.size() || !is_wordlike(tokens[i])) return {};
  return tokens[i].text;
}

// Length of `phrase` at tokens[i], or 0.
size_t phrase_at(const Tokens& tokens, size_t i, const Phrase& phrase) {
  size_t n = 0;
  for (std::string_view word : phrase) {
    if (word_at(tokens, i + n) != word) return 0;
    ++n;
  }
  return n;
}

size_t longest_at(const Tokens& tokens, size_t i, const std::vector<Phrase>& list) {
  size_t best = 0;
  for (const Phrase& phrase : list) {
    size_t n = phrase_at(tokens, i, phrase);
    if (n > best) best = n;
  }
  return best;
}

// Whether any of the next `window` tokens after `from` is in `list` (or satisfies a pull
// request phrase).
bool ahead(const Tokens& tokens, size_t from, size_t window,
           std::span<const std::string_view> list) {
  for (size_t i = from; i < tokens.size() && i < from + window; ++i) {
    if (in(list, tokens[i].text)) return true;
  }
  return false;
}

bool ahead(const Tokens& tokens, size_t from, size_t window,
           std::initializer_list<std::string_view> list) {
  return ahead(tokens, from, window, std::span<const std::string_view>(list.begin(), list.size()));
}

bool pull_request_ahead(const Tokens& tokens, size_t from, size_t window) {
  for (size_t i = from; i < tokens.size() && i < from + window; ++i) {
    if (in(kPullRequestNouns, tokens[i].text)) return true;
    if ((tokens[i].text == "pull" || tokens[i].text == "merge") &&
        word_at(tokens, i + 1) == "request") {
      return true;
    }
  }
  return false;
}

bool branch_ahead(const Tokens& tokens, size_t from, size_t window) {
  return ahead(tokens, from, window, {"branch", "branches"});
}

std::vector<std::string_view> words_from(const Tokens& tokens, size_t from) {
  std::vector<std::string_view> words;
  for (size_t i = from; i < tokens.size(); ++i) {
    if (tokens[i].kind == PromptToken::Kind::kCode) {
      for (std::string_view w : split_words(tokens[i].text)) words.push_back(w);
    } else if (tokens[i].kind != PromptToken::Kind::kForeign) {
      words.push_back(tokens[i].text);
    }
  }
  return words;
}

struct VerbDecision {
  bool is_verb = true;
  Risk risk = Risk::kRead;
  std::string word;
};

// The object of a verb decides some cases: "build a page" is an edit, "build it" a command;
// "merge these functions" an edit, "merge the PR" a merge; "create a branch" a git command.
VerbDecision refine(const VerbEntry& verb, const Tokens& tokens, size_t at) {
  VerbDecision d{true, verb.risk, tokens[at].text};
  const std::string& lemma = verb.lemma;
  size_t next = at + 1;
  std::string_view following = word_at(tokens, next);

  if (in(kSubjectFollowers, following)) return {false, Risk::kRead, {}};
  if (verb.risk >= Risk::kShell || lemma == "review" || lemma == "check") {
    if (in(kCompoundNouns, following)) return {false, Risk::kRead, {}};
  }
  if ((lemma == "test") &&
      in({"for", "case", "cases", "file", "files", "coverage", "plan"}, following)) {
    return {false, Risk::kRead, {}};
  }
  if (lemma == "push" && in({"notification", "notifications"}, following)) {
    return {false, Risk::kRead, {}};
  }
  if ((lemma == "open" || lemma == "create" || lemma == "make" || lemma == "raise" ||
       lemma == "start" || lemma == "put" || lemma == "pull") &&
      (pull_request_ahead(tokens, lemma == "pull" ? at : next, 5))) {
    d.risk = Risk::kMerge;
    return d;
  }
  if ((lemma == "create" || lemma == "make" || lemma == "delete" || lemma == "remove" ||
       lemma == "switch" || lemma == "checkout" || lemma == "rename") &&
      branch_ahead(tokens, next, 5)) {
    d.risk = Risk::kShell;
    return d;
  }
  if (lemma == "switch" && ahead(tokens, next, 3, kBranchNames)) d.risk = Risk::kShell;
  if ((lemma == "build" || lemma == "rebuild") &&
      in({"a", "an", "me", "us", "some", "new", "another"}, following)) {
    d.risk = Risk::kWrite;
  }
  if (lemma == "make") {
    std::vector<std::string_view> words = words_from(tokens, at);
    if (auto command = command_line_risk(words)) {
      d.risk = command->risk;
      d.word = command->words;
    }
  }
  if (lemma == "merge") {
    if (ahead(tokens, next, 6, kCodeNouns)) d.risk = Risk::kWrite;
  }
  if (lemma == "release" && ahead(tokens, next, 3, kReleasedResources)) d.risk = Risk::kWrite;
  // "use RE2 instead of std::regex" changes code; "use git log to find ..." does not.
  if (lemma == "use" && ahead(tokens, next, tokens.size(), {"instead", "rather"})) {
    d.risk = Risk::kWrite;
  }
  // "stop logging the token" asks for a change; "stop the server" for a command.
  if (lemma == "stop" && !following.empty() && following.size() > 3 && following.ends_with("ing")) {
    auto gerund = lookup_verb(following);
    d.risk = gerund && gerund->form == VerbForm::kIng ? gerund->risk : Risk::kWrite;
  }
  // Lock files are written by running the package manager.
  if ((lemma == "regenerate" || lemma == "update" || lemma == "refresh") &&
      (ahead(tokens, next, 4,
             {"lockfile", "lockfiles", "package-lock.json", "yarn.lock", "cargo.lock",
              "pnpm-lock.yaml", "poetry.lock"}) ||
       (ahead(tokens, next, 3, {"lock"}) && ahead(tokens, next, 4, {"file", "files"})))) {
    d.risk = Risk::kShell;
  }
  // "check if it compiles", "verify the tests pass": only running them can tell.
  if (in({"check", "verify", "confirm", "ensure", "see"}, lemma) &&
      ahead(tokens, next, tokens.size(), kOutcomeOfRunning)) {
    d.risk = Risk::kShell;
  }
  if (lemma == "check" && following == "out" &&
      (branch_ahead(tokens, next, 5) || ahead(tokens, next, 3, kBranchNames))) {
    d.risk = Risk::kShell;
  }
  if (lemma == "roll" && following == "out") d.risk = Risk::kMerge;
  if (lemma == "cut" && (following == "release" || word_at(tokens, next + 1) == "release")) {
    d.risk = Risk::kMerge;
  }
  if (lemma == "run" || lemma == "execute" || lemma == "exec" || lemma == "invoke" ||
      lemma == "rerun" || lemma == "re-run") {
    if (auto command = command_line_risk(words_from(tokens, next))) {
      if (command->risk == Risk::kMerge) d.risk = Risk::kMerge;
    }
  }
  return d;
}

class EnglishAnalysis {
 public:
  explicit EnglishAnalysis(std::string_view lowered) : clauses_(split_clauses(lowered)) {}

  LanguageFindings run() {
    bool sentence_question = false;
    bool previous_negated = false;
    for (size_t c = 0; c < clauses_.size(); ++c) {
      const PromptClause& clause = clauses_[c];
      note_read_only_markers(clause.tokens);
      ClauseResult result = analyse(clause, c == 0, sentence_question, previous_negated,
                                    c + 1 < clauses_.size() ? &clauses_[c + 1] : nullptr);
      previous_negated = result.negated;
      sentence_question = (sentence_question || result.question) && !clause.ends_sentence;
    }
    return std::move(findings_);
  }

 private:
  struct ClauseResult {
    bool question = false;
    bool negated = false;
  };

  void add(std::string word, Risk risk, bool negated) {
    findings_.matches.push_back({std::move(word), risk, negated});
    if (negated && risk >= Risk::kWrite) findings_.read_only_requested = true;
  }

  void note_read_only_markers(const Tokens& tokens) {
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::string_view w = word_at(tokens, i);
      if (w == "read-only" || w == "readonly" ||
          (w == "read" && word_at(tokens, i + 1) == "only")) {
        findings_.read_only_requested = true;
      }
      if (w == "no" &&
          in({"edits", "edit", "changes", "writes", "modifications"}, word_at(tokens, i + 1))) {
        findings_.read_only_requested = true;
      }
      if (w == "no" && in({"file", "code"}, word_at(tokens, i + 1)) &&
          in({"changes", "edits"}, word_at(tokens, i + 2))) {
        findings_.read_only_requested = true;
      }
      if ((w == "don't" || w == "dont" || (w == "not" && i > 0)) &&
          word_at(tokens, i + 1) == "touch") {
        findings_.read_only_requested = true;
      }
    }
  }

  // Marks the verb after "without" as negated: "fix it without running the suite". (A verb
  // after "or" starts a new clause and inherits the negation there.)
  void scan_without(const Tokens& tokens, size_t from) {
    for (size_t i = from; i < tokens.size(); ++i) {
      if (word_at(tokens, i) != "without") continue;
      size_t j = i + 1;
      while (in({"any", "ever", "actually", "really"}, word_at(tokens, j))) ++j;
      if (auto verb = lookup_verb(word_at(tokens, j))) {
        if (verb->risk >= Risk::kWrite || verb->form == VerbForm::kIng) {
          add(tokens[j].text, verb->risk, true);
        }
      }
    }
  }

  // "fix the flake by adding a retry", "verify it by running the suite".
  void scan_by_gerund(const Tokens& tokens, size_t from, bool negated) {
    for (size_t i = from; i + 1 < tokens.size(); ++i) {
      if (word_at(tokens, i) != "by") continue;
      if (auto verb = lookup_verb(word_at(tokens, i + 1)); verb && verb->form == VerbForm::kIng) {
        add(tokens[i + 1].text, verb->risk, negated);
      }
    }
  }

  ClauseResult analyse(const PromptClause& clause, bool first_clause, bool sentence_question,
                       bool previous_negated, const PromptClause* next_clause) {
    const Tokens& tokens = clause.tokens;
    ClauseResult result;
    if (clause.subordinate) {
      scan_without(tokens, 0);
      return result;
    }
    size_t i = 0;
    bool request = false;
    // Question or request?
    std::string_view w0 = word_at(tokens, 0);
    if (in(kRequestModals, w0) && in(kYou, word_at(tokens, 1))) {
      request = true;
      i = 2;
    } else if (in(kWhWords, w0) || (in(kQuestionAux, w0) && !opens_imperative(tokens))) {
      result.question = true;
    } else if (sentence_question) {
      result.question = true;
    }
    if (result.question) {
      scan_without(tokens, 0);
      return result;
    }
    bool negated = false;
    bool saw_prefix = request;
    for (;;) {
      if (size_t n = longest_at(tokens, i, kFillers); n > 0) {
        i += n;
        saw_prefix = true;
        continue;
      }
      if (size_t n = longest_at(tokens, i, kNegators); n > 0) {
        i += n;
        negated = true;
        saw_prefix = true;
        continue;
      }
      break;
    }
    if (i >= tokens.size()) return result;
    // "edit or delete" after a negation: "don't edit or delete anything".
    if (!saw_prefix && clause.after_coordinator && previous_negated) negated = true;
    result.negated = negated;

    const PromptToken& head = tokens[i];
    if (head.kind == PromptToken::Kind::kCode) {
      if (auto command = command_line_risk(split_words(head.text))) {
        add(command->words, command->risk, negated);
      }
    } else if (head.kind == PromptToken::Kind::kIdent) {
      if (auto command = command_line_risk(words_from(tokens, i))) {
        add(command->words, command->risk, negated);
      }
    } else if (auto command = command_line_risk(words_from(tokens, i));
               command && head.text != "make") {
      add(command->words, command->risk, negated);
    } else if (head.kind != PromptToken::Kind::kForeign) {
      if (auto verb = lookup_verb(head.text)) {
        // "fixes for the warnings please" is a request; "tests" later in a list is a noun.
        bool form_ok = verb->form != VerbForm::kS || (first_clause && i == 0);
        if (form_ok) {
          VerbDecision decision = refine(*verb, tokens, i);
          // "check if it compiles": the outcome sits in the subordinate clause.
          if (decision.is_verb && decision.risk == Risk::kRead && next_clause &&
              next_clause->subordinate && in({"check", "verify", "confirm", "see"}, verb->lemma)) {
            if (ahead(next_clause->tokens, 0, next_clause->tokens.size(), kOutcomeOfRunning)) {
              decision.risk = Risk::kShell;
            }
          }
          if (decision.is_verb) add(decision.word, decision.risk, negated);
        }
      }
    }
    scan_without(tokens, i + 1);
    scan_by_gerund(tokens, i + 1, negated);
    return result;
  }

  // "do the migration", "have a look": an auxiliary used as a main verb.
  static bool opens_imperative(const Tokens& tokens) {
    std::string_view w0 = word_at(tokens, 0), w1 = word_at(tokens, 1);
    if (w0 == "do" && (w1 == "not" || w1 == "the" || w1 == "it" || w1 == "a")) return true;
    if (w0 == "have" && (w1 == "a" || w1 == "the")) return true;
    return false;
  }

  std::vector<PromptClause> clauses_;
  LanguageFindings findings_;
};

}  // namespace

LanguageFindings english_findings(std::string_view lowered) {
  return EnglishAnalysis(lowered).run();
}

}  // namespace omk::routing
