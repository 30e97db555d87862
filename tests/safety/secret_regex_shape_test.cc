#include <gtest/gtest.h>

#include "safety/secret_regex_shape.h"
#include "safety/secret_text.h"

namespace omk::safety {
namespace {

TEST(RegexShape, LeadingLiteral) {
  EXPECT_EQ(leading_literal(R"(\b(ghp_[A-Za-z0-9]{36})\b)"), "ghp_");
  EXPECT_EQ(leading_literal(R"((?i)aws[_.-]?secret)"), "aws");
  EXPECT_EQ(leading_literal(R"((-----BEGIN RSA PRIVATE KEY-----\s*x))"),
            "-----begin rsa private key-----");
  EXPECT_EQ(leading_literal(R"(hooks\.slack\.com/x)"), "hooks.slack.com/x");
  EXPECT_EQ(leading_literal(R"(abcd?e)"), "abc");               // d is optional
  EXPECT_EQ(leading_literal(R"((?i)(?:moonshot|kimi)=)"), "");  // alternatives
  EXPECT_EQ(leading_literal(R"(abc|def)"), "");
  EXPECT_EQ(leading_literal(R"(\b((?:AKIA|ASIA)[A-Z2-7]{16}))"), "");
  EXPECT_EQ(leading_literal(R"(\d{8}:AA)"), "");
  EXPECT_EQ(leading_literal(R"(\b(SK[0-9a-f]{32})\b)"), "");  // too short to help
}

TEST(RegexShape, GroupsAndLines) {
  EXPECT_TRUE(is_one_group("(abc[0-9]+)"));
  EXPECT_TRUE(is_one_group(strip_word_boundaries(R"(\b(ghp_[a-z]{3})\b)")));
  EXPECT_FALSE(is_one_group("(abc)(def)"));
  EXPECT_FALSE(is_one_group("(?:abc)"));
  EXPECT_FALSE(is_one_group("(a[)]b)c"));
  EXPECT_TRUE(has_alternation("(a|b)c", 0));
  EXPECT_FALSE(has_alternation("(a(b|c))", 0));
  EXPECT_TRUE(may_cross_lines(R"(BEGIN[\s\S]{64,}END)"));
  EXPECT_TRUE(may_cross_lines(R"(a\s*b)"));
  EXPECT_TRUE(may_cross_lines(R"((?s)a.b)"));
  EXPECT_FALSE(may_cross_lines(R"(a[^\s"]+b)"));
  EXPECT_FALSE(may_cross_lines(R"((?m)value\r?$)"));
  EXPECT_EQ(literal_expression("a."), "\\x61\\x2e");
}

TEST(SecretText, CaseInsensitiveSearch) {
  std::string text = "xx Token yy TOKEN zz token";
  EXPECT_EQ(find_lowercase(text, "token", 0, text.size()), 3u);
  EXPECT_EQ(find_lowercase(text, "token", 4, text.size()), 12u);
  EXPECT_EQ(find_lowercase(text, "token", 13, 20), std::string::npos);
  EXPECT_EQ(rfind_lowercase(text, "token", 0, text.size()), 21u);
  EXPECT_EQ(rfind_lowercase(text, "token", 0, 20), 12u);
  EXPECT_EQ(find_lowercase(text, "missing", 0, text.size()), std::string::npos);
  EXPECT_TRUE(contains_lowercase("aBcD", "bcd"));
  EXPECT_EQ(line_start("ab\ncd", 4), 3u);
  EXPECT_EQ(line_end("ab\ncd", 0), 2u);
}

}  // namespace
}  // namespace omk::safety
