// omk route explain: a prompt's risk, policy and the router's choice, through the binary.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <nlohmann/json.hpp>

#include "routing/evidence_history.h"
#include "test_support.h"

namespace omk {
namespace {
namespace fs = std::filesystem;

class RouteCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = tmp_.path() / "project";
    home_ = tmp_.path() / "home";
    bin_ = tmp_.path() / "bin";
    test::git_init(project_);
    fs::create_directories(home_);
    fs::create_directories(bin_);
    // `codex` installed and logged in: the one healthy agent CLI.
    test::write_text(bin_ / "codex", "#!/bin/sh\necho 'codex-cli 0.169.0'\n");
    ::chmod((bin_ / "codex").c_str(), 0755);
    test::write_text(home_ / ".codex/auth.json", R"({"OPENAI_API_KEY": "sk-test-1234567"})");
  }
  test::CommandResult omk(const std::vector<std::string>& args,
                          std::map<std::string, std::string> env = {}) {
    env.emplace("HOME", home_.string());
    env.emplace("PATH", bin_.string() + ":/usr/bin:/bin");
    env.emplace("XDG_CACHE_HOME", (tmp_.path() / "cache").string());
    for (const char* name :
         {"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "DEEPSEEK_API_KEY",
          "OMK_PROVIDER", "OMK_AUTHORITY_PROVIDER", "OMK_EXECUTION"}) {
      env.emplace(name, "\x01");
    }
    return test::run_omk(args, project_, env);
  }
  nlohmann::json explain(const std::vector<std::string>& extra, int expected_exit = 0,
                         std::map<std::string, std::string> env = {}) {
    std::vector<std::string> args = {"route", "explain"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("--json");
    auto result = omk(args, env);
    EXPECT_EQ(result.exit_code, expected_exit) << result.out << result.err;
    EXPECT_EQ(test::schema_errors("omk.route.v1", result.out), "") << result.out;
    return nlohmann::json::parse(result.out);
  }
  static const nlohmann::json& candidate(const nlohmann::json& doc, const std::string& id) {
    for (const auto& entry : doc["candidates"]) {
      if (entry["id"] == id) return entry;
    }
    throw std::runtime_error("no candidate " + id);
  }
  test::TempDir tmp_;
  fs::path project_;
  fs::path home_;
  fs::path bin_;
};

TEST_F(RouteCommand, AWriteTurnGetsWriteCapabilitiesAndTheHealthyCli) {
  auto doc = explain({"fix the failing test in src/parser.c"});
  EXPECT_EQ(doc["risk"], "write");
  EXPECT_EQ(doc["capabilities"], nlohmann::json({"write", "patch"}));
  EXPECT_EQ(doc["sandbox"], "workspace-write");
  EXPECT_EQ(doc["read_only"], false);
  EXPECT_EQ(doc["provider"], "codex");
  EXPECT_EQ(doc["matches"][0]["word"], "fix");
  EXPECT_TRUE(candidate(doc, "codex")["eligible"].get<bool>());
  EXPECT_TRUE(candidate(doc, "codex")["score"].is_number());
  // Every other runtime keeps its reason.
  EXPECT_NE(candidate(doc, "claude")["rejected_reason"].get<std::string>().find("not healthy"),
            std::string::npos)
      << doc.dump(1);
  EXPECT_FALSE(candidate(doc, "deepseek")["eligible"].get<bool>());
}

TEST_F(RouteCommand, UnmatchedAndQuestionPromptsAreReadOnly) {
  auto doc = explain({"how does the merge-sort in sort.c work?"});
  EXPECT_EQ(doc["risk"], "read");
  EXPECT_EQ(doc["capabilities"], nlohmann::json({"read"}));
  EXPECT_EQ(doc["sandbox"], "read-only");
  EXPECT_EQ(doc["read_only"], true);
  auto korean = explain({"이 함수 설명해줘"});
  EXPECT_EQ(korean["risk"], "read");
  auto negated = explain({"review the parser but don't edit anything"});
  EXPECT_EQ(negated["risk"], "read") << negated.dump(1);
}

TEST_F(RouteCommand, AMergeTurnNeedsApprovalUnderAskAndIsRefusedUnderNever) {
  auto ask = explain({"push the branch to origin"});
  EXPECT_EQ(ask["risk"], "merge");
  EXPECT_EQ(ask["approval"], "ask");
  auto never = explain({"push the branch to origin", "--execution", "never"});
  EXPECT_EQ(never["approval"], "refused");
  auto overridden = explain({"push the branch to origin", "--risk", "read"});
  EXPECT_EQ(overridden["risk"], "read");
  EXPECT_EQ(overridden["inferred_risk"], "merge");
  EXPECT_EQ(overridden["risk_override"], "read");
}

TEST_F(RouteCommand, APreferredProviderIsNeverSilentlyReplaced) {
  // claude is not installed: preferring it routes nowhere, and says why.
  auto doc = explain({"fix the bug", "--provider", "claude"}, 4);
  EXPECT_TRUE(doc["provider"].is_null());
  EXPECT_EQ(doc["preferred"], "claude");
  EXPECT_NE(doc["reason"].get<std::string>().find("claude"), std::string::npos) << doc.dump(1);

  // An advisory API provider the user names runs even a write turn, read-only.
  auto advisory = explain({"fix the bug", "--provider", "deepseek"}, 0,
                          {{"DEEPSEEK_API_KEY", "sk-" + std::string(32, 'a')}});
  EXPECT_EQ(advisory["provider"], "deepseek") << advisory.dump(1);
  EXPECT_EQ(advisory["advisory"], true);
  EXPECT_EQ(advisory["sandbox"], "read-only");
  EXPECT_EQ(advisory["capabilities"], nlohmann::json({"read", "review"}));
}

TEST_F(RouteCommand, HistoryLowersARuntimeThatKeepsFailing) {
  double before = candidate(explain({"fix the bug"}), "codex")["score"];
  {
    routing::EvidenceHistory history(routing::EvidenceHistory::default_path(project_));
    for (int i = 0; i < 4; ++i) {
      routing::OutcomeRecord record;
      record.runtime = "codex";
      record.risk = routing::Risk::kWrite;
      record.outcome = routing::TurnOutcome::kFailed;
      history.record(record);
    }
  }
  auto doc = explain({"fix the bug"});
  const auto& codex = candidate(doc, "codex");
  EXPECT_LT(codex["score"].get<double>(), before);
  EXPECT_EQ(codex["history_turns"], 4);
  EXPECT_GT(codex["failure_penalty"].get<double>(), 0.0);
}

TEST_F(RouteCommand, BadInputIsAUsageErrorAndNoRuntimeIsExit4) {
  auto unknown = omk({"route", "explain", "fix it", "--provider", "gpt-9"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown provider \"gpt-9\""), std::string::npos) << unknown.err;
  auto risk = omk({"route", "explain", "fix it", "--risk", "everything"});
  EXPECT_EQ(risk.exit_code, 2);
  EXPECT_NE(risk.err.find("--risk"), std::string::npos) << risk.err;

  fs::remove(home_ / ".codex/auth.json");
  auto none = omk({"route", "explain", "fix it"});
  EXPECT_EQ(none.exit_code, 4) << none.out << none.err;
  EXPECT_NE(none.out.find("provider:      none"), std::string::npos) << none.out;
  EXPECT_NE(none.out.find("not authenticated"), std::string::npos) << none.out;
}

TEST_F(RouteCommand, ExplainingCreatesNoHistory) {
  auto result = omk({"route", "explain", "run the tests"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("risk:          shell"), std::string::npos) << result.out;
  EXPECT_FALSE(fs::exists(project_ / ".omk/history.db"));
}

}  // namespace
}  // namespace omk
