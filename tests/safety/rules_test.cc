// Loading rule files in the gitleaks format.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "core/error.h"
#include "safety/rules.h"
#include "safety/secret_matcher.h"
#include "test_support.h"

namespace omk::safety {
namespace {

// Written in the style of gitleaks' own config/gitleaks.toml: (?i) in the middle of a regex,
// POSIX classes, \x60, a lazy bounded prefix, secretGroup, entropy, keywords, allowlists with
// regexTarget and stopwords, a global allowlist with paths.
constexpr const char* kGitleaksStyle = R"(
title = "gitleaks config"
minVersion = "v8.25.0"

[allowlist]
description = "global allow lists"
paths = ['''(?i)\.(?:bmp|gif|jpe?g|png|svg)$''', '''(?:^|/)node_modules(?:/.*)?$''']
stopwords = ["abcdefghijklmnopqrstuvwxyz"]

[[rules]]
id = "acme-api-key"
description = "Acme API key"
regex = '''(?i)[\w.-]{0,50}?(?:acme)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}([a-z0-9]{32})(?:[\x60'"\s;]|\\[nr]|$)'''
entropy = 3
keywords = ["acme"]

[[rules]]
id = "widget-token"
description = "Widget token"
regex = '''\b(wdg-(?i)[[:alnum:]]{24})\b'''
secretGroup = 1
keywords = ["wdg-"]
tags = ["widget"]
[[rules.allowlists]]
description = "test tokens"
regexTarget = "match"
regexes = ['''wdg-TEST''']
[[rules.allowlists]]
condition = "AND"
paths = ['''fixtures/''']
stopwords = ["sample"]

[[rules]]
id = "pkcs12-file"
description = "PKCS#12 file"
path = '''(?i)\.p(?:12|fx)$'''
)";

SecretMatcher load(const char* text) {
  return SecretMatcher(parse_rule_file(text, "test.toml", {}), "test.toml");
}

void expect_gitleaks_style_matches(const SecretMatcher& matcher) {
  EXPECT_TRUE(matcher.notes().empty()) << matcher.notes()[0];
  std::string key = "k3j9d8s7a6q5w4e3r2t1y0u9i8o7p6l5";
  auto found = matcher.find("ACME_API_KEY = \"" + key + "\"\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(matcher.rules().rules[found[0].rule].id, "acme-api-key");
  std::string text = "ACME_API_KEY = \"" + key + "\"\n";
  EXPECT_EQ(text.substr(found[0].secret_start, found[0].secret_end - found[0].secret_start), key);

  EXPECT_EQ(matcher.find("token wdg-Q2w3E4r5T6y7U8i9O0p1A2s3 ok").size(), 1u);
  EXPECT_TRUE(matcher.find("token wdg-TESTE4r5T6y7U8i9O0p1A2s3 ok").empty());  // match allowlist
  // AND allowlist: both the path and the stopword must hold.
  EXPECT_EQ(matcher.find("wdg-sampleT6y7U8i9O0p1A2s3x4", "src/a.txt").size(), 1u);
  EXPECT_TRUE(matcher.find("wdg-sampleT6y7U8i9O0p1A2s3x4", "fixtures/a.txt").empty());
  // Keywords gate a rule: without "acme" nothing is even tried.
  EXPECT_TRUE(matcher.find("OTHER_KEY = \"" + key + "\"").empty());
  // Global allowlist paths exempt whole files; path-only rules report the file.
  EXPECT_TRUE(matcher.path_allowlisted("web/node_modules/x/index.js"));
  EXPECT_FALSE(matcher.path_allowlisted("src/index.js"));
  auto by_path = matcher.find("binary-ish", "certs/client.p12");
  ASSERT_EQ(by_path.size(), 1u);
  EXPECT_TRUE(by_path[0].path_only);
  EXPECT_TRUE(matcher.find("binary-ish", "certs/client.pem").empty());
}

TEST(RuleFiles, LoadsGitleaksStyleRules) {
  RuleSet set = parse_rule_file(kGitleaksStyle, "test.toml", {});
  ASSERT_EQ(set.rules.size(), 3u);
  EXPECT_EQ(set.title, "gitleaks config");
  EXPECT_EQ(set.rules[1].secret_group, 1);
  EXPECT_EQ(set.rules[1].keywords, std::vector<std::string>{"wdg-"});
  EXPECT_EQ(set.rules[1].allowlists.size(), 2u);
  EXPECT_EQ(set.rules[1].allowlists[1].condition, AllowlistCondition::kAnd);
  EXPECT_EQ(set.rules[1].allowlists[0].target, AllowlistTarget::kMatch);
  EXPECT_EQ(set.allowlists.size(), 1u);
  EXPECT_TRUE(set.warnings.empty()) << set.warnings[0];

  expect_gitleaks_style_matches(load(kGitleaksStyle));
}

// The second start of the same rule set takes the rules' analysis from the cache and compiles
// each RE2 only when a candidate needs it; a damaged cache file just means compiling again.
TEST(RuleFiles, ACachedAnalysisFindsExactlyWhatACompileFinds) {
  test::TempDir cache;
  const char* previous = std::getenv("XDG_CACHE_HOME");
  std::string saved = previous != nullptr ? previous : "";
  ::setenv("XDG_CACHE_HOME", cache.path().c_str(), 1);
  auto analysis_files = [&] {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(cache.path() / "omk")) {
      if (entry.path().filename().string().rfind("vectorscan-analysis-", 0) == 0) {
        files.push_back(entry.path());
      }
    }
    return files;
  };
  expect_gitleaks_style_matches(load(kGitleaksStyle));  // compiles, stores the analysis
  auto files = analysis_files();
  ASSERT_EQ(files.size(), 1u);
  std::string stored = test::read_text(files[0]);
  expect_gitleaks_style_matches(load(kGitleaksStyle));  // from the cache
  test::write_text(files[0], "[[1, [true");
  expect_gitleaks_style_matches(load(kGitleaksStyle));  // damaged: compiled again, stored again
  EXPECT_EQ(test::read_text(files[0]), stored);
  if (previous != nullptr) {
    ::setenv("XDG_CACHE_HOME", saved.c_str(), 1);
  } else {
    ::unsetenv("XDG_CACHE_HOME");
  }
}

TEST(RuleFiles, ExtendUseDefaultAddsToTheBuiltInRules) {
  RuleSet set = parse_rule_file(R"(
[extend]
useDefault = true
disabledRules = ["generic-secret-assignment", "generic-secret-config"]

[[rules]]
id = "internal-token"
regex = '''\b(itk_[a-f0-9]{32})\b'''
keywords = ["itk_"]
)",
                                "ext.toml", {});
  EXPECT_EQ(set.rules.front().id, "internal-token");
  EXPECT_EQ(set.rules.size(), builtin_rule_set().rules.size() + 1 - 2);
  for (const SecretRule& rule : set.rules) EXPECT_NE(rule.id, "generic-secret-config");
  SecretMatcher matcher(std::move(set), "ext.toml");
  EXPECT_EQ(matcher.find("itk_0123456789abcdef0123456789abcdef").size(), 1u);
  EXPECT_EQ(matcher.find("ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5").size(), 1u);
}

TEST(RuleFiles, ExtendPathIsRelativeToTheFile) {
  test::TempDir tmp;
  test::write_text(tmp.path() / "base.toml",
                   "[[rules]]\nid = \"base\"\nregex = '''base_[0-9]{8}'''\n");
  test::write_text(
      tmp.path() / "top.toml",
      "[extend]\npath = \"base.toml\"\n[[rules]]\nid = \"top\"\nregex = '''top_[0-9]{8}'''\n");
  RuleSet set = load_rule_file(tmp.path() / "top.toml");
  ASSERT_EQ(set.rules.size(), 2u);
  EXPECT_EQ(set.rules[0].id, "top");
  EXPECT_EQ(set.rules[1].id, "base");
}

void expect_usage_error(const std::string& text, const std::string& needle) {
  try {
    SecretMatcher matcher(parse_rule_file(text, "bad.toml", {}), "bad.toml");
    ADD_FAILURE() << "accepted: " << text;
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ExitCode::kUsage);
    EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("bad.toml"), std::string::npos) << error.what();
  }
}

TEST(RuleFiles, BadFilesAreUsageErrorsNamingTheProblem) {
  expect_usage_error("[[rules]\n", "not a valid rule file");
  expect_usage_error("[[rules]]\ndescription = \"x\"\nregex = 'a'\n", "non-empty 'id'");
  expect_usage_error("[[rules]]\nid = \"r\"\n", "needs a 'regex' or a 'path'");
  expect_usage_error("[[rules]]\nid = \"r\"\nregex = '''(unclosed'''\n", "rule 'r'");
  expect_usage_error("[[rules]]\nid = \"r\"\nregex = 'abc'\nsecretGroup = 2\n", "secretGroup");
  expect_usage_error("[[rules]]\nid = \"r\"\nregex = 'abc'\nentropy = \"high\"\n", "entropy");
  expect_usage_error("[[rules]]\nid = \"r\"\nregex = 'abc'\n[[rules]]\nid = \"r\"\nregex = 'x'\n",
                     "appears twice");
  expect_usage_error("[extend]\nurl = \"https://example.com/rules.toml\"\n", "network");
  expect_usage_error("rules = 3\n", "array of tables");
  expect_usage_error(
      "[[rules]]\nid = \"r\"\nregex = 'abc'\n[[rules.allowlists]]\ncondition = \"XOR\"\n",
      "condition");
}

TEST(RuleFiles, UnsupportedPartsAreWarnings) {
  RuleSet set = parse_rule_file(R"(
unknownTop = 1
[[rules]]
id = "r"
regex = 'abc[0-9]{4}'
skipReport = true
[[rules.allowlists]]
commits = ["abc"]
regexes = ['x']
)",
                                "w.toml", {});
  ASSERT_EQ(set.warnings.size(), 3u);
  EXPECT_NE(set.warnings[0].find("w.toml"), std::string::npos);
}

TEST(RuleFiles, RegexVectorscanCannotTakeStillWorks) {
  // An empty-matching regex cannot go into the vectorscan database; with a keyword the rule
  // still runs (RE2 on texts holding the keyword), and the user is told.
  SecretMatcher matcher(parse_rule_file(R"(
[[rules]]
id = "maybe-empty"
regex = '''(?:zq_[0-9]{6})?'''
keywords = ["zq_"]
)",
                                        "m.toml", {}),
                        "m.toml");
  ASSERT_EQ(matcher.notes().size(), 1u);
  EXPECT_NE(matcher.notes()[0].find("maybe-empty"), std::string::npos);
  EXPECT_EQ(matcher.find("value zq_123456 end").size(), 1u);
  EXPECT_TRUE(matcher.find("value 123456 end").empty());
}

TEST(RuleFiles, BuiltInRulesParseFromTheEmbeddedFile) {
  EXPECT_NE(builtin_rules_toml().find("[[rules]]"), std::string_view::npos);
  EXPECT_TRUE(builtin_rule_set().warnings.empty());
  for (const SecretRule& rule : builtin_rule_set().rules) {
    EXPECT_FALSE(rule.keywords.empty()) << rule.id << " needs a keyword for the pre-filter";
    EXPECT_FALSE(rule.description.empty()) << rule.id;
  }
}

}  // namespace
}  // namespace omk::safety
