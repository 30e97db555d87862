#include "routing/english_lexicon.h"

#include <string_view>
#include <unordered_map>

namespace omk::routing {
namespace {

struct LemmaList {
  Risk risk;
  std::initializer_list<std::string_view> lemmas;
};

// Verbs that ask for the action in their category when they head a request. Nouns that look
// like verbs ("the build", "a fix") never reach this table in command position because the
// clause analysis skips subjects and questions. Multi-syllable words whose final consonant
// doubles ("committing") are in kDoubling below.
const LemmaList kLemmas[] = {
    {Risk::kRead,
     {"explain",    "describe",   "summarize", "summarise", "show",      "list",    "read",
      "look",       "inspect",    "review",    "audit",     "analyze",   "analyse", "investigate",
      "diagnose",   "find",       "search",    "locate",    "tell",      "compare", "check",
      "trace",      "understand", "walk",      "outline",   "evaluate",  "assess",  "identify",
      "clarify",    "answer",     "suggest",   "propose",   "recommend", "plan",    "design",
      "brainstorm", "estimate",   "count",     "print",     "view",      "open",    "give",
      "verify",     "examine",    "study",     "research",  "explore",   "browse",  "grep",
      "critique",   "proofread",  "spot",      "detect",    "determine", "figure",  "think",
      "consider",   "confirm",    "interpret", "use",       "see"}},
    {Risk::kWrite,
     {"fix",        "edit",       "write",    "rewrite",   "implement", "modify",   "patch",
      "refactor",   "add",        "create",   "delete",    "remove",    "update",   "change",
      "rename",     "move",       "replace",  "convert",   "migrate",   "port",     "extract",
      "inline",     "split",      "clean",    "cleanup",   "bump",      "upgrade",  "downgrade",
      "optimize",   "optimise",   "improve",  "tweak",     "adjust",    "set",      "configure",
      "enable",     "disable",    "comment",  "uncomment", "document",  "generate", "regenerate",
      "scaffold",   "introduce",  "insert",   "append",    "prepend",   "wire",     "hook",
      "resolve",    "revert",     "undo",     "redo",      "rework",    "simplify", "restructure",
      "reorganize", "reorganise", "format",   "reformat",  "translate", "annotate", "handle",
      "support",    "make",       "apply",    "tidy",      "polish",    "harden",   "deduplicate",
      "dedupe",     "expose",     "hide",     "drop",      "save",      "put",      "correct",
      "repair",     "address",    "finish",   "complete",  "raise",     "lower",    "increase",
      "decrease",   "reduce",     "limit",    "rewire",    "reword",    "restyle",  "style",
      "fill",       "integrate",  "include",  "exclude",   "allow",     "forbid",   "prevent",
      "ensure",     "switch",     "cut",      "roll",      "declare",   "define",   "initialize",
      "initialise", "rewrite",    "localize", "localise",  "vendor",    "refresh",  "stub",
      "mock",       "clean-up",   "set-up",   "hard-code", "hardcode"}},
    {Risk::kShell,
     {"run",       "rerun",       "re-run",   "dry-run",   "execute",   "exec",      "invoke",
      "build",     "rebuild",     "compile",  "recompile", "test",      "retest",    "lint",
      "typecheck", "type-check",  "fuzz",     "install",   "reinstall", "uninstall", "reproduce",
      "repro",     "debug",       "profile",  "benchmark", "bench",     "measure",   "start",
      "restart",   "stop",        "kill",     "launch",    "serve",     "commit",    "stash",
      "rebase",    "cherry-pick", "checkout", "bisect",    "squash",    "amend",     "pull",
      "fetch",     "clone",       "download", "retry",     "smoke-test"}},
    {Risk::kMerge,
     {"push", "force-push", "publish", "release", "deploy", "redeploy", "ship", "land", "upload",
      "tag", "merge"}},
};

// Multi-syllable verbs whose last consonant doubles before -ing.
const std::unordered_map<std::string_view, std::string_view> kDoubling = {
    {"commit", "committing"}, {"debug", "debugging"},   {"submit", "submitting"},
    {"rerun", "rerunning"},   {"re-run", "re-running"}, {"dry-run", "dry-running"},
    {"refer", "referring"},   {"unzip", "unzipping"},
};

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

int vowel_groups(std::string_view word) {
  int groups = 0;
  bool in_group = false;
  for (char c : word) {
    bool vowel = is_vowel(c) || c == 'y';
    if (vowel && !in_group) ++groups;
    in_group = vowel;
  }
  return groups;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

using Table = std::unordered_map<std::string, VerbEntry>;

Table build_table() {
  Table table;
  for (const LemmaList& list : kLemmas) {
    for (std::string_view lemma : list.lemmas) {
      VerbForms forms = inflect(lemma);
      // A word listed twice keeps its first category (the lists are disjoint in practice).
      table.emplace(forms.base, VerbEntry{std::string(lemma), list.risk, VerbForm::kBase});
      table.emplace(forms.s, VerbEntry{std::string(lemma), list.risk, VerbForm::kS});
      table.emplace(forms.ing, VerbEntry{std::string(lemma), list.risk, VerbForm::kIng});
    }
  }
  return table;
}

}  // namespace

VerbForms inflect(std::string_view lemma) {
  std::string base(lemma);
  VerbForms forms{base, base, base};
  // -s
  if (ends_with(base, "s") || ends_with(base, "x") || ends_with(base, "z") ||
      ends_with(base, "ch") || ends_with(base, "sh")) {
    forms.s = base + "es";
  } else if (base.size() > 1 && base.back() == 'y' && !is_vowel(base[base.size() - 2])) {
    forms.s = base.substr(0, base.size() - 1) + "ies";
  } else {
    forms.s = base + "s";
  }
  // -ing
  if (auto it = kDoubling.find(lemma); it != kDoubling.end()) {
    forms.ing = std::string(it->second);
  } else if (ends_with(base, "ie")) {
    forms.ing = base.substr(0, base.size() - 2) + "ying";
  } else if (base.size() > 2 && base.back() == 'e' && !ends_with(base, "ee") &&
             !ends_with(base, "ye") && !ends_with(base, "oe")) {
    forms.ing = base.substr(0, base.size() - 1) + "ing";
  } else if (base.size() >= 3 && vowel_groups(base) == 1 && !is_vowel(base.back()) &&
             base.back() != 'w' && base.back() != 'x' && base.back() != 'y' &&
             is_vowel(base[base.size() - 2]) && !is_vowel(base[base.size() - 3])) {
    forms.ing = base + base.back() + "ing";  // run → running, ship → shipping
  } else {
    forms.ing = base + "ing";
  }
  return forms;
}

std::optional<VerbEntry> lookup_verb(std::string_view word) {
  static const Table table = build_table();
  auto it = table.find(std::string(word));
  if (it == table.end()) return std::nullopt;
  return it->second;
}

}  // namespace omk::routing
