// The routed turn end to end with small fake CLIs: plan → route → adapter in the sandbox, the
// fallback rules, approval, cancellation, capability injection and the evidence history.
#include "routing/turn_runner.h"

#include <gtest/gtest.h>

#include "provider_fixture.h"
#include "test_support.h"

namespace omk::routing {
namespace {

using providers::test_fixture::Project;

// Fake CLIs that answer --version and print one result in their adapter's format; `body` runs
// first (in the workspace, inside omk's sandbox).
std::string fake_codex(const std::string& body = "") {
  return "if [ \"$1\" = --version ]; then echo 'codex-cli 0.169.0'; exit 0; fi\n"
         "cat > /dev/null\n" +
         body +
         "echo '{\"type\":\"item.completed\",\"item\":{\"type\":\"agent_message\","
         "\"text\":\"codex done\"}}'\n"
         "echo '{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}'"
         "\n";
}
std::string fake_claude(const std::string& body = "") {
  return "if [ \"$1\" = --version ]; then echo '2.0.1 (Claude Code)'; exit 0; fi\n"
         "cat > /dev/null\n" +
         body +
         "echo '{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,"
         "\"result\":\"claude done\"}'\n";
}

class TurnRunner : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_text(project_.home / ".codex/auth.json",
                     R"({"OPENAI_API_KEY": "sk-test-1234567"})");
    test::write_text(project_.home / ".claude/.credentials.json", R"({"token": "x"})");
    project_.fake_binary("codex", fake_codex());
    project_.fake_binary("claude", fake_claude());
  }

  RoutedTurn run(const std::string& prompt, Execution execution, TurnRun how = {},
                 const mcp::ToolPlaneInventory* inventory = nullptr) {
    providers::ProviderContext context = project_.context();
    history_ = std::make_unique<EvidenceHistory>(EvidenceHistory::default_path(project_.root));
    TurnEnvironment environment;
    environment.context = &context;
    environment.statuses = providers::check_providers(context);
    environment.inventory = inventory;
    environment.history = history_.get();
    TurnAsk ask;
    ask.user_text = prompt;
    ask.execution = execution;
    ask.run_id = "run-1";
    how.workspace = project_.root;
    if (!how.timeout) how.timeout = std::chrono::milliseconds(60000);
    return run_routed_turn(environment, ask, how);
  }

  Project project_;
  std::unique_ptr<EvidenceHistory> history_;
};

TEST_F(TurnRunner, AReadTurnFallsBackToTheNextRuntimeAndTheFailureIsRecorded) {
  // claude and codex tie on priors; ties go to the id, so claude runs first.
  project_.fake_binary("claude", fake_claude("echo broken >&2; exit 1\n"));
  RoutedTurn turn = run("explain how the parser works", Execution::kAuto);
  ASSERT_EQ(turn.outcome, TurnOutcome::kSucceeded) << turn_json(turn).dump(1);
  EXPECT_EQ(turn.exit_code, 0);
  ASSERT_EQ(turn.attempts.size(), 2u);
  EXPECT_EQ(turn.attempts[0].provider, "claude");
  EXPECT_EQ(turn.attempts[1].provider, "codex");
  EXPECT_EQ(turn.last()->final_message, "codex done");
  EXPECT_EQ(history_->stats("claude").turns, 1);
  EXPECT_EQ(history_->stats("claude").passed, 0);
  EXPECT_EQ(history_->stats("codex").passed, 1);
}

TEST_F(TurnRunner, AFailedWriteTurnThatChangedFilesIsNotRetriedElsewhere) {
  project_.fake_binary("claude", fake_claude("echo half > half-done.txt\nexit 1\n"));
  RoutedTurn turn = run("fix the bug in parser.c", Execution::kAuto);
  EXPECT_EQ(turn.outcome, TurnOutcome::kFailed);
  EXPECT_EQ(turn.exit_code, 1);
  ASSERT_EQ(turn.attempts.size(), 1u) << turn_json(turn).dump(1);
  EXPECT_TRUE(turn.fallback.stopped_on_change);
  EXPECT_NE(turn.message.find("half-done.txt"), std::string::npos) << turn.message;
}

TEST_F(TurnRunner, AMergeTurnIsRefusedUnderNeverAndRunsOnlyAfterAYesUnderAsk) {
  RoutedTurn never = run("push the branch to origin", Execution::kNever);
  EXPECT_EQ(never.exit_code, 3);
  EXPECT_TRUE(never.attempts.empty());

  int asked = 0;
  TurnRun declined;
  declined.approve_turn = [&](const TurnPolicy& policy) {
    ++asked;
    EXPECT_EQ(policy.risk, Risk::kMerge);
    return false;
  };
  RoutedTurn no = run("push the branch to origin", Execution::kAsk, declined);
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(no.exit_code, 3);
  EXPECT_TRUE(no.attempts.empty());

  // No one to ask: refused, with what to do.
  RoutedTurn nobody = run("push the branch to origin", Execution::kAsk);
  EXPECT_EQ(nobody.exit_code, 3);
  EXPECT_NE(nobody.message.find("--execution auto"), std::string::npos) << nobody.message;
}

TEST_F(TurnRunner, ACancelledTurnIsNotHandedToAnotherRuntime) {
  process::CancelToken cancel;
  cancel.cancel();
  TurnRun how;
  how.cancel = &cancel;
  RoutedTurn turn = run("explain the parser", Execution::kAuto, how);
  EXPECT_EQ(turn.outcome, TurnOutcome::kCancelled);
  EXPECT_EQ(turn.exit_code, 130);
  EXPECT_EQ(turn.fallback.attempts.size(), 1u);
}

TEST_F(TurnRunner, ARequiredMcpServerThatCannotStartBlocksTheTurnAndOptionalOnesAreLeftOut) {
  mcp::ToolPlaneInventory inventory;
  mcp::ServerConfig optional;
  optional.name = "search";
  optional.transport = mcp::TransportKind::kStdio;
  optional.command = "no-such-search-server";
  inventory.servers.push_back(optional);

  std::vector<std::string> given;
  TurnRun how;
  how.on_start = [&](const std::string&, const CapabilityInjection& injection) {
    given = injection.mcp_servers;
    EXPECT_EQ(injection.dropped.size(), 1u);
  };
  RoutedTurn runs = run("explain the parser", Execution::kAuto, how, &inventory);
  EXPECT_EQ(runs.outcome, TurnOutcome::kSucceeded) << runs.message;
  EXPECT_TRUE(given.empty());

  inventory.servers.front().required = true;
  RoutedTurn blocked = run("explain the parser", Execution::kAuto, {}, &inventory);
  EXPECT_EQ(blocked.exit_code, 3);
  EXPECT_NE(blocked.message.find("required MCP server \"search\""), std::string::npos)
      << blocked.message;
  EXPECT_TRUE(blocked.attempts.empty());
}

TEST_F(TurnRunner, TheRuntimeGetsTheEnvelopeAndTheTurnsSandbox) {
  project_.fake_binary("claude", fake_claude("echo hi > written.txt 2>/dev/null || true\n"));
  RoutedTurn turn = run("explain the parser", Execution::kAuto);
  ASSERT_EQ(turn.outcome, TurnOutcome::kSucceeded) << turn.message;
  // A read turn runs read-only: the fake's write did not land.
  EXPECT_FALSE(std::filesystem::exists(project_.root / "written.txt"));
  EXPECT_EQ(turn.route.plan.policy.sandbox, sandbox::Profile::kReadOnly);
  EXPECT_NE(turn.route.plan.envelope.text.find("\"explain the parser\""), std::string::npos);
  Json json = turn_json(turn);
  EXPECT_EQ(json["route"]["provider"], "claude");
  EXPECT_EQ(json["outcome"], "succeeded");
}

}  // namespace
}  // namespace omk::routing
