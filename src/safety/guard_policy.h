#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "safety/guard_types.h"

namespace omk::guard {

// A project rule in Claude Code's permission syntax:
//   Bash            every command             Bash(git push:*)   "git push" and what follows
//   Bash(npm run *) a wildcard pattern        Bash(make test)    exactly that command
//   Read(./.env)    reading that file         Edit(src/**)       writing anything under src/
//   Write(...)      the same as Edit(...)
// Paths: "//abs/path" is absolute, "~/x" is in the home directory, "/x", "./x" and "x/y" are
// relative to the project root, and a name without a slash ("*.pem") matches at any depth.
struct PolicyRule {
  enum class Tool { kBash, kRead, kEdit };
  Tool tool = Tool::kBash;
  std::string text;       // as written, shown as the rule that decided
  std::string specifier;  // inside the parentheses; empty for a bare tool name
};

struct Policy {
  std::vector<PolicyRule> deny;
  std::vector<PolicyRule> ask;
  std::vector<PolicyRule> allow;
};

// Parses one rule; on failure returns nullopt and sets `error` to what is wrong and how to fix it.
std::optional<PolicyRule> parse_policy_rule(std::string_view text, std::string& error);

bool rule_matches_command(const PolicyRule& rule, std::string_view command);
bool rule_matches_path(const PolicyRule& rule, std::string_view absolute_path,
                       const GuardContext& context);

// Glob matching: '*' and '?' stay within one path segment when `path_mode`, '**' crosses them.
bool glob_match(std::string_view pattern, std::string_view text, bool path_mode);

}  // namespace omk::guard
