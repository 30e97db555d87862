#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "safety/rules.h"
#include "safety/secret_matcher.h"

namespace omk::safety {

// RE2 as the matcher uses it: bytes (Latin-1, like vectorscan), 64 MiB budget, no logging.
RE2::Options regex_options();

// Compiles `pattern`; throws UserError (exit 2) naming `where` when it is not valid.
std::unique_ptr<RE2> compile_regex(const std::string& pattern, const std::string& where);

// A rule's regex. Checked means compiled (and so validated) now; otherwise it is compiled on
// first use, which is only right for a pattern already known to be valid (a rule set that
// compiled before, see secret_rule_analysis.h): most omk commands confirm no candidate at all,
// and compiling every rule's RE2 up front cost more than the rest of their start-up.
class LazyRegex {
 public:
  LazyRegex(std::string pattern, bool check_now, const std::string& where);
  LazyRegex(const LazyRegex&) = delete;
  LazyRegex& operator=(const LazyRegex&) = delete;

  // Thread-safe; a pattern that would not compile matches nothing.
  const RE2& get() const;
  int capturing_groups() const { return get().NumberOfCapturingGroups(); }

 private:
  std::string pattern_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<RE2> regex_;
};

// An allowlist compiled: its regexes (and its paths) joined into one alternation, so each check
// is one RE2 pass.
struct CompiledAllowlist {
  AllowlistCondition condition = AllowlistCondition::kOr;
  AllowlistTarget target = AllowlistTarget::kSecret;
  std::unique_ptr<LazyRegex> regexes;  // null when the allowlist has none
  std::unique_ptr<LazyRegex> paths;
  std::vector<std::string> stopwords;
  std::vector<uint32_t> rules;  // global allowlists: the rules they apply to (empty: all)
};

// `checked`: the patterns are known to be valid (see LazyRegex).
CompiledAllowlist compile_allowlist(const RuleAllowlist& list, const std::string& where,
                                    bool checked);

// Whether `regex` (null: no regex) matches anywhere in `text`.
bool matches_any(const std::unique_ptr<LazyRegex>& regex, std::string_view text);

// Whether `list` allows the match `m` of `text` (gitleaks semantics: OR - a regex or a
// stopword; AND - every check the list defines, paths included).
bool allowlisted(const CompiledAllowlist& list, std::string_view text, const SecretMatch& m,
                 std::string_view path);

// Whether a global allowlist applies to rule index `rule` (its targetRules, or every rule).
bool allowlist_applies(const CompiledAllowlist& list, uint32_t rule);

}  // namespace omk::safety
