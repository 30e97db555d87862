#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "safety/rules.h"

namespace omk::safety {

// One confirmed secret in a scanned text.
struct SecretMatch {
  uint32_t rule = 0;  // index into SecretMatcher::rules().rules
  size_t start = 0;   // the whole regex match [start, end)
  size_t end = 0;
  size_t secret_start = 0;  // the secret inside it (secretGroup), what redaction replaces
  size_t secret_end = 0;
  bool path_only = false;  // a path-only rule matched the file name; there is no span
};

// A compiled rule set. All rule regexes and all keywords go into one vectorscan database: one
// pass over the text finds candidate matches and which keywords occur; each candidate whose
// rule's keywords occurred is then confirmed with the rule's full regex (RE2, which also yields
// the secret's capture group), its entropy threshold and its allowlists.
//
// Thread-safe: find() may run on many threads at once.
class SecretMatcher {
 public:
  // Throws UserError (exit 2) naming `display_name` and the rule when a regex is not valid RE2
  // syntax, secretGroup exceeds the regex's groups, or neither vectorscan nor a keyword
  // pre-filter can drive the rule.
  // `cache_database`: reuse/store the compiled vectorscan database and the rules' analysis in
  // omk's cache directory (secret_vectorscan.h, secret_rule_analysis.h; with the analysis
  // cached, each RE2 is compiled on first use); fuzzers and one-off rule sets turn it off.
  explicit SecretMatcher(RuleSet rules, std::string display_name = "built-in rules",
                         bool cache_database = true);
  ~SecretMatcher();
  SecretMatcher(const SecretMatcher&) = delete;
  SecretMatcher& operator=(const SecretMatcher&) = delete;

  const RuleSet& rules() const;

  // Every confirmed secret in `text`, sorted by start. When two matches overlap, the one whose
  // rule comes first in the rule set is kept. `path` (relative, '/'-separated; empty when the
  // text is not a file) feeds path rules and path allowlists.
  std::vector<SecretMatch> find(std::string_view text, std::string_view path = {}) const;

  // True when a global allowlist's `paths` exempt the whole file.
  bool path_allowlisted(std::string_view path) const;

  // How the rules were compiled, for rules vectorscan could not take exactly
  // ("rule 'x': vectorscan pre-filter mode (...)"); empty for the built-in rules.
  const std::vector<std::string>& notes() const;

  // The longest match any bounded rule can produce, and the bound used for unbounded ones:
  // how far back a streaming redactor must look.
  size_t max_match_span() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace omk::safety
