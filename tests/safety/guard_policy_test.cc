#include "safety/guard_policy.h"

#include <gtest/gtest.h>

#include "guard_support.h"

namespace omk::guard {
namespace {

PolicyRule rule(const std::string& text) {
  std::string error;
  auto parsed = parse_policy_rule(text, error);
  EXPECT_TRUE(parsed) << text << ": " << error;
  return parsed.value_or(PolicyRule{});
}

TEST(PolicyRules, ParseClaudeCodeSyntax) {
  EXPECT_EQ(rule("Bash(git push:*)").tool, PolicyRule::Tool::kBash);
  EXPECT_EQ(rule("Bash(git push:*)").specifier, "git push:*");
  EXPECT_EQ(rule("Read(./.env)").tool, PolicyRule::Tool::kRead);
  EXPECT_EQ(rule("Edit(src/**)").tool, PolicyRule::Tool::kEdit);
  EXPECT_EQ(rule("Write(src/**)").tool, PolicyRule::Tool::kEdit);
  EXPECT_TRUE(rule("Bash").specifier.empty());
  std::string error;
  EXPECT_FALSE(parse_policy_rule("WebFetch(domain:x)", error));
  EXPECT_NE(error.find("Bash(...)"), std::string::npos);
  EXPECT_FALSE(parse_policy_rule("Bash(git push", error));
  EXPECT_FALSE(parse_policy_rule("Bash(a:* b)", error));
}

TEST(PolicyRules, BashPatterns) {
  EXPECT_TRUE(rule_matches_command(rule("Bash(git push:*)"), "git push origin main"));
  EXPECT_TRUE(rule_matches_command(rule("Bash(git push:*)"), "git push"));
  EXPECT_FALSE(rule_matches_command(rule("Bash(git push:*)"), "git pushx"));
  EXPECT_TRUE(rule_matches_command(rule("Bash(npm * --save)"), "npm install lodash --save"));
  EXPECT_TRUE(rule_matches_command(rule("Bash(ls *)"), "ls"));
  EXPECT_FALSE(rule_matches_command(rule("Bash(ls *)"), "lsof"));
  EXPECT_TRUE(rule_matches_command(rule("Bash(make  test)"), "make test"));
  EXPECT_FALSE(rule_matches_command(rule("Bash(make test)"), "make test2"));
  EXPECT_TRUE(rule_matches_command(rule("Bash"), "anything at all"));
}

TEST(PolicyRules, PathPatterns) {
  GuardContext context = test::sample_context();
  EXPECT_TRUE(rule_matches_path(rule("Read(./.env)"), "/work/project/.env", context));
  EXPECT_FALSE(rule_matches_path(rule("Read(./.env)"), "/work/project/sub/.env", context));
  EXPECT_TRUE(rule_matches_path(rule("Read(.env)"), "/work/project/sub/.env", context));
  EXPECT_TRUE(rule_matches_path(rule("Edit(src/**)"), "/work/project/src/a/b.ts", context));
  EXPECT_FALSE(rule_matches_path(rule("Edit(src/*.ts)"), "/work/project/src/a/b.ts", context));
  EXPECT_TRUE(rule_matches_path(rule("Edit(src/*.ts)"), "/work/project/src/b.ts", context));
  EXPECT_TRUE(rule_matches_path(rule("Edit(src/)"), "/work/project/src/a/b.ts", context));
  EXPECT_TRUE(rule_matches_path(rule("Read(*.pem)"), "/work/project/certs/x.pem", context));
  EXPECT_TRUE(rule_matches_path(rule("Read(~/.aws/**)"), "/home/dev/.aws/credentials", context));
  EXPECT_TRUE(rule_matches_path(rule("Read(//etc/shadow)"), "/etc/shadow", context));
  EXPECT_TRUE(rule_matches_path(rule("Edit(/docs/**)"), "/work/project/docs/x.md", context));
}

TEST(PolicyRules, GlobMatchingHasNoBacktrackingBlowUp) {
  std::string pattern;
  for (int i = 0; i < 40; ++i) pattern += "*a";
  std::string text(4000, 'a');
  text += 'b';
  EXPECT_FALSE(glob_match(pattern + "c", text, false));
  EXPECT_TRUE(glob_match("src/**/x.ts", "src/x.ts", true));
  EXPECT_TRUE(glob_match("a?c", "abc", true));
  EXPECT_FALSE(glob_match("a?c", "a/c", true));
}

}  // namespace
}  // namespace omk::guard
