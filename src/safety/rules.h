#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace omk::safety {

// The secret rules, in the gitleaks rule-file format (docs/secrets.md): a rule is a regex with an
// optional capture group holding the secret, a minimum Shannon entropy for that secret, keywords
// that must occur in the scanned text, an optional path regex, and allowlists.

// What an allowlist regex is matched against.
enum class AllowlistTarget { kSecret, kMatch, kLine };
// OR: any one check allows the finding. AND: every check the allowlist defines must hold.
enum class AllowlistCondition { kOr, kAnd };

struct RuleAllowlist {
  std::string description;
  AllowlistCondition condition = AllowlistCondition::kOr;
  AllowlistTarget target = AllowlistTarget::kSecret;
  std::vector<std::string> regexes;       // RE2 syntax
  std::vector<std::string> paths;         // RE2 syntax, matched against the file's path
  std::vector<std::string> stopwords;     // lower-cased; the secret must not contain one
  std::vector<std::string> target_rules;  // global allowlists only: empty means every rule
};

struct SecretRule {
  std::string id;
  std::string description;
  std::string regex;     // RE2 syntax (Go regexp compatible); empty for a path-only rule
  std::string path;      // RE2 syntax; the rule applies only to files whose path matches
  int secret_group = 0;  // 0: the first non-empty capture group, or the whole match
  double entropy = 0;    // a secret must have more than this; 0 disables the check
  std::vector<std::string> keywords;  // lower-cased; empty means always evaluated
  std::vector<std::string> tags;
  std::vector<RuleAllowlist> allowlists;
};

struct RuleSet {
  std::string title;
  std::vector<SecretRule> rules;          // order decides which rule wins when two overlap
  std::vector<RuleAllowlist> allowlists;  // global
  std::vector<std::string> warnings;      // parts of the file omk understood but does not use
};

// Parses a rule file. `display_name` names the file in errors; `base_dir` resolves
// `[extend] path`. `[extend] useDefault = true` starts from omk's built-in rules (gitleaks'
// own default set is not bundled: its rules are not this project's). Throws UserError (exit 2)
// naming the file, the rule id and what to fix. Regexes are checked when the rules are compiled
// (SecretMatcher), which names the rule too.
RuleSet parse_rule_file(std::string_view text, const std::string& display_name,
                        const std::filesystem::path& base_dir);

// Reads and parses a rule file; throws UserError when it cannot be read.
RuleSet load_rule_file(const std::filesystem::path& path);

// omk's built-in rules (src/safety/rules_builtin.toml, embedded at build time).
const RuleSet& builtin_rule_set();
std::string_view builtin_rules_toml();

}  // namespace omk::safety
