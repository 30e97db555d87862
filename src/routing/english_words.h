#pragma once

#include <string_view>
#include <vector>

// The English words the risk classifier's clause analysis (english_risk.cc) relies on.
namespace omk::routing::english {

using Phrase = std::vector<std::string_view>;

// Words that may stand before the verb of a request without changing what is asked.
inline const std::vector<Phrase> kFillers = {
    {"i", "want", "you", "to"},
    {"i'd", "like", "you", "to"},
    {"i", "would", "like", "you", "to"},
    {"i", "need", "you", "to"},
    {"we", "need", "you", "to"},
    {"i", "think", "we", "should"},
    {"maybe", "we", "should"},
    {"don't", "forget", "to"},
    {"dont", "forget", "to"},
    {"do", "not", "forget", "to"},
    {"go", "ahead", "and"},
    {"make", "sure", "to"},
    {"make", "sure", "you"},
    {"make", "sure", "that"},
    {"make", "sure"},
    {"be", "sure", "to"},
    {"feel", "free", "to"},
    {"it's", "time", "to"},
    {"i", "want", "to"},
    {"i", "need", "to"},
    {"i'd", "like", "to"},
    {"i", "have", "to"},
    {"we", "need", "to"},
    {"we", "have", "to"},
    {"we", "want", "to"},
    {"you", "need", "to"},
    {"help", "me", "to"},
    {"go", "ahead"},
    {"let", "us"},
    {"help", "me"},
    {"help", "us"},
    {"we", "should"},
    {"we", "must"},
    {"you", "should"},
    {"you", "must"},
    {"you", "can"},
    {"need", "to"},
    {"want", "to"},
    {"have", "to"},
    {"try", "to"},
    {"try", "and"},
    {"remember", "to"},
    {"time", "to"},
    {"please"},
    {"pls"},
    {"plz"},
    {"kindly"},
    {"just"},
    {"also"},
    {"now"},
    {"then"},
    {"first"},
    {"next"},
    {"finally"},
    {"ok"},
    {"okay"},
    {"quickly"},
    {"maybe"},
    {"yes"},
    {"yeah"},
    {"sure"},
    {"hey"},
    {"again"},
    {"actually"},
    {"carefully"},
    {"simply"},
    {"only"},
    {"alright"},
    {"lastly"},
    {"additionally"},
    {"instead"},
    {"let's"},
    {"lets"},
    {"try"},
    {"force"},
    {"mind"},
};

// Words that cancel the verb that follows them.
inline const std::vector<Phrase> kNegators = {
    {"do", "not"},
    {"no", "need", "to"},
    {"must", "not"},
    {"should", "not"},
    {"refrain", "from"},
    {"don't"},
    {"dont"},
    {"never"},
    {"not"},
    {"avoid"},
    {"mustn't"},
    {"shouldn't"},
    {"won't"},
    {"without"},
};

// "can you ...", "would you mind ...": a request, not a question.
inline constexpr std::string_view kRequestModals[] = {"can", "could", "would", "will"};
inline constexpr std::string_view kYou[] = {"you", "u", "ya"};

inline constexpr std::string_view kWhWords[] = {"what",  "what's", "whats",   "why",   "how",
                                                "how's", "where",  "where's", "which", "who",
                                                "who's", "whose",  "whom",    "when"};
// Auxiliaries that open a yes/no question ("is it safe to delete ...?").
inline constexpr std::string_view kQuestionAux[] = {
    "is",     "isn't", "are",    "aren't", "was",    "were",      "does",     "doesn't",  "did",
    "didn't", "has",   "hasn't", "am",     "should", "shall",     "may",      "might",    "can",
    "could",  "would", "will",   "do",     "have",   "shouldn't", "wouldn't", "couldn't", "can't"};

// A word after a verb-looking first word that shows the first word is a noun subject ("the
// build fails", "tests are failing", "release notes for 1.2").
inline constexpr std::string_view kSubjectFollowers[] = {
    "is",     "are",    "was",     "were",   "isn't",   "aren't",  "wasn't", "weren't",
    "has",    "have",   "had",     "hasn't", "keeps",   "seems",   "seem",   "fails",
    "failed", "fail",   "failing", "should", "will",    "would",   "can",    "could",
    "might",  "must",   "doesn't", "does",   "did",     "don't",   "works",  "worked",
    "passes", "passed", "broke",   "broken", "crashes", "crashed", "looks",  "needs",
    "takes",  "took",   "gets",    "got",    "throws",  "hangs",   "returns"};
// Nouns that make a compound with a verb-looking word ("release notes", "build script").
inline constexpr std::string_view kCompoundNouns[] = {
    "notes",     "note",    "notification",  "notifications", "process",   "pipeline",  "script",
    "scripts",   "system",  "log",           "logs",          "message",   "messages",  "history",
    "workflow",  "config",  "configuration", "step",          "steps",     "tool",      "tools",
    "target",    "targets", "output",        "status",        "time",      "times",     "date",
    "flag",      "flags",   "option",        "options",       "suite",     "results",   "result",
    "report",    "logic",   "strategy",      "schedule",      "checklist", "candidate", "conflict",
    "conflicts", "request", "requests",      "button",        "id",        "hash",      "cache",
    "directory", "dir",     "folder",        "errors",        "error",     "failure",   "failures",
    "speed",     "matrix",  "job",           "jobs",          "stage",     "stages",    "cadence",
    "manager",   "policy",  "rules",         "permissions"};

inline constexpr std::string_view kPullRequestNouns[] = {"pr", "prs", "pull-request", "mr",
                                                         "merge-request"};
inline constexpr std::string_view kBranchNames[] = {"main", "master", "develop", "dev", "trunk"};
// Objects that make "merge" an edit of code rather than a branch merge.
inline constexpr std::string_view kCodeNouns[] = {
    "function",   "functions",  "method",     "methods", "class",       "classes",    "struct",
    "structs",    "file",       "files",      "module",  "modules",     "component",  "components",
    "table",      "tables",     "list",       "lists",   "dict",        "dicts",      "map",
    "maps",       "array",      "arrays",     "object",  "objects",     "config",     "configs",
    "duplicates", "duplicated", "cells",      "columns", "rows",        "test",       "tests",
    "hooks",      "types",      "interfaces", "enums",   "sections",    "paragraphs", "docs",
    "lines",      "entries",    "keys",       "fields",  "records",     "helpers",    "imports",
    "these",      "them",       "both",       "two",     "overlapping", "similar"};
inline constexpr std::string_view kReleasedResources[] = {"lock",     "mutex",   "memory",
                                                          "handle",   "handles", "resources",
                                                          "resource", "buffer",  "connection"};
// Words that describe the outcome of running something ("check that it compiles").
inline constexpr std::string_view kOutcomeOfRunning[] = {"compiles", "compile",  "builds", "passes",
                                                         "pass",     "succeeds", "runs"};

}  // namespace omk::routing::english
