#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <regex>

#include "secret_corpus.h"
#include "test_support.h"

namespace omk {
namespace {

using nlohmann::json;

// Fresh made-up tokens for every run of the suite's binary.
struct Tokens {
  std::string github, openai, slack, aws;
  Tokens() {
    test::TokenGenerator gen(std::random_device{}());
    github = gen.expand("ghp_{a:36}");
    openai = gen.expand("sk-proj-{u:80}");
    slack = gen.expand("xoxb-{d:12}-{d:13}-{a:24}");
    aws = gen.expand("AKIA{3:16}");
  }
  std::vector<std::string> all() const { return {github, openai, slack, aws}; }
};

void expect_no_secret(const test::CommandResult& result, const Tokens& tokens) {
  for (const std::string& token : tokens.all()) {
    EXPECT_EQ(result.out.find(token), std::string::npos) << "stdout shows " << token;
    EXPECT_EQ(result.err.find(token), std::string::npos) << "stderr shows " << token;
    EXPECT_EQ(result.out.find(token.substr(4, 12)), std::string::npos) << "stdout shows a part";
  }
}

std::string sarif_errors(const std::string& document) {
  test::CommandOptions options;
  options.argv = {
      "/usr/bin/python3", "-c",
      "import json, sys, jsonschema\n"
      "schema = json.load(open(sys.argv[1]))\n"
      "cls = jsonschema.validators.validator_for(schema)\n"
      "errors = [e.message for e in cls(schema).iter_errors(json.loads(sys.stdin.read()))]\n"
      "print('\\n'.join(errors)); sys.exit(1 if errors else 0)\n",
      OMK_TEST_SOURCE_DIR "/tests/support/sarif-2.1.0-rtm.5.json"};
  options.stdin_data = document;
  auto result = test::run_command(options);
  return result.exit_code == 0 ? "" : result.out + result.err;
}

void plant(const test::TempDir& tmp, const Tokens& t) {
  test::git_init(tmp.path());
  test::write_text(tmp.path() / "src/config.py",
                   "GITHUB = \"" + t.github + "\"\nOPENAI_API_KEY = '" + t.openai + "'\n");
  test::write_text(tmp.path() / "deploy/notify.sh",
                   "curl -H 'x' https://slack.com # " + t.slack + "\n");
  test::write_text(tmp.path() / "README.md", "Nothing secret here.\n");
}

TEST(SecretsCommand, CleanTreeExitsZero) {
  test::TempDir tmp;
  test::write_text(tmp.path() / "a.txt", "hello\n");
  auto result = test::run_omk({"secrets", "scan"}, tmp.path());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("0 finding(s) in 1 file(s)"), std::string::npos) << result.out;
}

TEST(SecretsCommand, FindingsExitOneAndNeverShowTheSecret) {
  test::TempDir tmp;
  Tokens t;
  plant(tmp, t);
  auto human = test::run_omk({"secrets", "scan"}, tmp.path());
  EXPECT_EQ(human.exit_code, 1) << human.err;
  EXPECT_NE(human.out.find("src/config.py:1:11  github-pat-classic"), std::string::npos)
      << human.out;
  EXPECT_NE(human.out.find("3 finding(s)"), std::string::npos) << human.out;
  expect_no_secret(human, t);

  auto json_result = test::run_omk({"secrets", "scan", "--json"}, tmp.path());
  EXPECT_EQ(json_result.exit_code, 1);
  EXPECT_EQ(test::schema_errors("omk.secrets-scan.v1", json_result.out), "");
  expect_no_secret(json_result, t);
  json doc = json::parse(json_result.out);
  ASSERT_EQ(doc["findings"].size(), 3u);
  EXPECT_EQ(doc["findings"][1]["rule"], "github-pat-classic");
  EXPECT_EQ(doc["findings"][1]["fingerprint"], "src/config.py:github-pat-classic:1");
  EXPECT_EQ(doc["stats"]["skipped"]["git"], 1);
  EXPECT_GE(doc["stats"]["rules"].get<int>(), 100);

  auto sarif = test::run_omk({"secrets", "scan", "--sarif"}, tmp.path());
  EXPECT_EQ(sarif.exit_code, 1);
  EXPECT_EQ(sarif_errors(sarif.out), "");
  expect_no_secret(sarif, t);
  json log = json::parse(sarif.out);
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_EQ(log["runs"][0]["results"].size(), 3u);
}

TEST(SecretsCommand, BaselineAndOmkignoreSuppressKnownFindings) {
  test::TempDir tmp;
  Tokens t;
  plant(tmp, t);
  auto first = test::run_omk({"secrets", "scan", "--json"}, tmp.path());
  test::write_text(tmp.path() / "baseline.json", first.out);
  auto again = test::run_omk({"secrets", "scan", "--baseline", "baseline.json"}, tmp.path());
  EXPECT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("3 by fingerprint"), std::string::npos) << again.out;

  auto sarif = test::run_omk({"secrets", "scan", "--sarif"}, tmp.path());
  test::write_text(tmp.path() / "baseline.sarif", sarif.out);
  EXPECT_EQ(
      test::run_omk({"secrets", "scan", "--baseline", "baseline.sarif"}, tmp.path()).exit_code, 0);

  test::write_text(tmp.path() / ".omkignore",
                   "src/config.py:github-pat-classic:1\nsrc/config.py:openai-project-key:2\n");
  auto ignored = test::run_omk({"secrets", "scan", "--json"}, tmp.path());
  EXPECT_EQ(ignored.exit_code, 1);
  EXPECT_EQ(json::parse(ignored.out)["findings"].size(), 1u);

  auto bad = test::run_omk({"secrets", "scan", "--baseline", "README.md"}, tmp.path());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("README.md"), std::string::npos);
}

TEST(SecretsCommand, RulesFileInGitleaksFormat) {
  test::TempDir tmp;
  test::write_text(tmp.path() / "rules.toml", R"(
title = "team rules"
[[rules]]
id = "team-token"
description = "Team service token"
regex = '''\b(team_[a-f0-9]{32})\b'''
entropy = 3
keywords = ["team_"]
)");
  test::write_text(
      tmp.path() / "src/a.txt",
      "t = team_0123456789abcdef0123456789abcdef\nghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5\n");
  auto result =
      test::run_omk({"secrets", "scan", "src", "--rules", "rules.toml", "--json"}, tmp.path());
  EXPECT_EQ(result.exit_code, 1) << result.err;
  json doc = json::parse(result.out);
  ASSERT_EQ(doc["findings"].size(), 1u);  // the file replaces the built-in rules
  EXPECT_EQ(doc["findings"][0]["rule"], "team-token");

  test::write_text(tmp.path() / "bad.toml", "[[rules]]\nid = \"x\"\nregex = '''(oops'''\n");
  auto bad = test::run_omk({"secrets", "scan", "--rules", "bad.toml"}, tmp.path());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.toml"), std::string::npos);
  EXPECT_NE(bad.err.find("rule 'x'"), std::string::npos);
}

TEST(SecretsCommand, RuntimeScansTrustBoundaryFilesAndMcpLiterals) {
  test::TempDir tmp;
  Tokens t;
  test::git_init(tmp.path());
  test::write_text(tmp.path() / ".gitignore", ".omk/runs/\n");
  test::write_text(tmp.path() / ".omk/runs/run-1/state.json", "{\"note\": \"" + t.openai + "\"}\n");
  test::write_text(tmp.path() / ".kimi/mcp.json",
                   "{\"mcpServers\": {\"gh\": {\"command\": \"gh-mcp\", \"env\": "
                   "{\"GITHUB_TOKEN\": \"plaintextpat\", \"HOME_DIR\": \"/home/x\"}}}}\n");
  test::write_text(tmp.path() / "src/main.c", "int main(void) { return 0; }\n");
  auto result = test::run_omk({"secrets", "scan", "src", "--runtime", "--json"}, tmp.path());
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(test::schema_errors("omk.secrets-scan.v1", result.out), "");
  json doc = json::parse(result.out);
  std::vector<std::string> found;
  for (const auto& f : doc["findings"])
    found.push_back(f["path"].get<std::string>() + " " + f["rule"].get<std::string>());
  EXPECT_EQ(found, (std::vector<std::string>{".kimi/mcp.json mcp-literal-secret",
                                             ".omk/runs/run-1/state.json openai-project-key"}));
  EXPECT_EQ(result.out.find("plaintextpat"), std::string::npos);
  expect_no_secret(result, t);
}

// One file per built-in rule, holding a generated true positive: every rule is found through the
// real binary, the JSON and SARIF documents stay valid after the output redactor has run over
// them, and no generated token survives in any output.
TEST(SecretsCommand, EveryBuiltInRuleThroughTheBinary) {
  test::TempDir tmp;
  test::TokenGenerator gen(99);
  auto cases = test::load_secret_cases(test::secret_cases_file());
  std::vector<std::string> random_runs;
  for (const auto& c : cases) {
    std::string text = gen.expand(c.tp[0]);
    test::write_text(tmp.path() / "rules" / (c.rule + ".txt"), text + "\n");
    // Runs of 16+ token characters that the template did not spell out are random: secret.
    std::regex run("[A-Za-z0-9+/_-]{16,}");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), run);
         it != std::sregex_iterator(); ++it) {
      if (c.tp[0].find(it->str()) == std::string::npos) random_runs.push_back(it->str());
    }
  }
  auto result = test::run_omk({"secrets", "scan", "rules", "--json"}, tmp.path());
  ASSERT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(test::schema_errors("omk.secrets-scan.v1", result.out), "");
  json doc = json::parse(result.out);
  std::map<std::string, std::string> rule_by_file;
  for (const auto& f : doc["findings"]) {
    EXPECT_EQ(rule_by_file.count(f["path"]), 0u) << "two findings in " << f["path"];
    rule_by_file[f["path"].get<std::string>()] = f["rule"].get<std::string>();
  }
  for (const auto& c : cases) {
    EXPECT_EQ(rule_by_file["rules/" + c.rule + ".txt"], c.rule);
  }
  auto sarif = test::run_omk({"secrets", "scan", "rules", "--sarif"}, tmp.path());
  EXPECT_EQ(sarif_errors(sarif.out), "");
  auto human = test::run_omk({"secrets", "scan", "rules"}, tmp.path());
  for (const std::string& secret : random_runs) {
    ASSERT_EQ(result.out.find(secret), std::string::npos) << secret;
    ASSERT_EQ(sarif.out.find(secret), std::string::npos) << secret;
    ASSERT_EQ(human.out.find(secret), std::string::npos) << secret;
  }
}

TEST(SecretsCommand, UsageErrors) {
  test::TempDir tmp;
  EXPECT_EQ(test::run_omk({"secrets", "scan", "--json", "--sarif"}, tmp.path()).exit_code, 2);
  auto missing = test::run_omk({"secrets", "scan", "no-such-dir"}, tmp.path());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no-such-dir"), std::string::npos);
  EXPECT_EQ(test::run_omk({"secrets", "scan", "--max-file-mib", "0"}, tmp.path()).exit_code, 2);
  EXPECT_EQ(test::run_omk({"secrets", "scan", "--rules", "absent.toml"}, tmp.path()).exit_code, 2);
}

TEST(SecretsCommand, SizeLimitFromConfigAndFlag) {
  test::TempDir tmp;
  test::write_text(tmp.path() / ".omk/config.toml", "[secrets]\nmax_file_mib = 1\n");
  test::write_text(tmp.path() / "big.txt",
                   std::string(2 << 20, 'a') + "\nghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5\n");
  auto limited = test::run_omk({"secrets", "scan", "--json"}, tmp.path());
  EXPECT_EQ(limited.exit_code, 0);
  EXPECT_EQ(json::parse(limited.out)["stats"]["skipped"]["oversize"], 1);
  auto raised = test::run_omk({"secrets", "scan", "--max-file-mib", "4"}, tmp.path());
  EXPECT_EQ(raised.exit_code, 1);
}

}  // namespace
}  // namespace omk
