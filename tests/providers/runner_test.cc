// The turn runner with small fake CLIs (fast, offline): approval under --execution, the prompt
// transports, failure categories and the OMK_DEBUG gate on provider output.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "core/error.h"
#include "provider_fixture.h"
#include "providers/runner.h"
#include "safety/redactor.h"

namespace omk::providers {
namespace {

using test_fixture::Project;

constexpr const char* kPlantedToken = "ghp_Zx9QmP4rT7vW2yK8nB5cL1dF6hJ3sA0eG9uI";

// A fake `codex` that answers --version, records its argv and stdin in the workspace, prints
// one JSONL agent message and exits with $FAKE_EXIT (via a file, since the env is scrubbed).
std::string fake_codex(const std::string& extra = "") {
  return "if [ \"$1\" = --version ]; then echo 'codex-cli 0.169.0'; exit 0; fi\n"
         "printf '%s\\n' \"$@\" > argv.txt 2>/dev/null\n"
         "cat > stdin.txt 2>/dev/null || cat > /dev/null\n" +
         extra +
         "echo '{\"type\":\"item.completed\",\"item\":{\"type\":\"agent_message\","
         "\"text\":\"all done\"}}'\n"
         "echo '{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":7,\"output_tokens\":3}}'"
         "\n";
}

// A fake CLI is healthy only when it looks logged in, like a real one.
void log_in(Project& project) {
  test::write_text(project.home / ".codex/auth.json", R"({"OPENAI_API_KEY": "sk-test-1234567"})");
  project.env["KIMI_MODEL_NAME"] = "kimi-k2";
  project.env["KIMI_MODEL_API_KEY"] = "sk-kimi-test-1234567";
}

TurnRequest request_for(Project& project, Risk risk, Execution execution) {
  log_in(project);
  TurnRequest request;
  request.provider = "codex";
  request.prompt = "PROMPT-MARKER-4711: add a file";
  request.workspace = project.root;
  request.risk = risk;
  request.execution = execution;
  request.timeout = std::chrono::milliseconds(60000);
  return request;
}

TEST(ProviderRunner, APromptGoesOnStdinNeverArgvAndTheOutputIsParsed) {
  Project project;
  project.fake_binary("codex", fake_codex("echo hi > made.txt\n"));
  TurnResult result =
      run_turn(project.context(), request_for(project, Risk::kWrite, Execution::kAuto));
  ASSERT_TRUE(result.success) << result.message;
  EXPECT_EQ(result.final_message, "all done");
  EXPECT_EQ(result.usage.input, 7);
  EXPECT_EQ(result.usage.output, 3);
  EXPECT_EQ(test::read_text(project.root / "stdin.txt"), "PROMPT-MARKER-4711: add a file");
  std::string argv = test::read_text(project.root / "argv.txt");
  EXPECT_EQ(argv.find("PROMPT-MARKER"), std::string::npos) << argv;
  EXPECT_NE(argv.find("exec\n--json\n--skip-git-repo-check"), std::string::npos) << argv;
  EXPECT_EQ(argv.find("-a\n"), std::string::npos) << "codex exec must not get -a: " << argv;
  EXPECT_NE(std::find(result.files_changed.begin(), result.files_changed.end(), "made.txt"),
            result.files_changed.end());
}

TEST(ProviderRunner, AReadTurnIsReadOnlyEvenWhenTheAgentTriesToWrite) {
  Project project;
  project.fake_binary("codex", fake_codex("echo hi > made.txt 2>/dev/null\n"));
  TurnResult result =
      run_turn(project.context(), request_for(project, Risk::kRead, Execution::kNever));
  EXPECT_TRUE(result.success) << result.message;
  EXPECT_EQ(result.sandbox.value("profile", ""), "read-only") << result.sandbox.dump();
  if (result.sandbox["layers"]["landlock"].value("enforced", false)) {
    EXPECT_FALSE(std::filesystem::exists(project.root / "made.txt"));
  }
}

TEST(ProviderRunner, ExecutionNeverRefusesAWriteTurnOnACliThatCannotAsk) {
  Project project;
  project.fake_binary("codex", fake_codex("touch ran.txt\n"));
  TurnResult result =
      run_turn(project.context(), request_for(project, Risk::kWrite, Execution::kNever));
  EXPECT_FALSE(result.success);
  EXPECT_EQ(result.failure, FailureCategory::kRefusedByPolicy);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.message.find("--execution never"), std::string::npos) << result.message;
  EXPECT_FALSE(std::filesystem::exists(project.root / "ran.txt"));
}

TEST(ProviderRunner, ExecutionAskAsksOmksOwnQuestionAndNeverBecomesNeverAsk) {
  Project project;
  project.fake_binary("codex", fake_codex("touch ran.txt\n"));
  TurnRequest request = request_for(project, Risk::kShell, Execution::kAsk);
  // Nobody to ask: refused, not silently approved.
  TurnResult unattended = run_turn(project.context(), request);
  EXPECT_EQ(unattended.failure, FailureCategory::kRefusedByPolicy) << unattended.message;
  EXPECT_FALSE(std::filesystem::exists(project.root / "ran.txt"));

  std::vector<ApprovalRequest> asked;
  request.approve = [&](const ApprovalRequest& question) {
    asked.push_back(question);
    return false;
  };
  TurnResult declined = run_turn(project.context(), request);
  EXPECT_EQ(declined.failure, FailureCategory::kRefusedByPolicy);
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].provider, "codex");
  EXPECT_NE(asked[0].why.find("codex exec never asks"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(project.root / "ran.txt"));

  request.approve = [](const ApprovalRequest&) { return true; };
  TurnResult approved = run_turn(project.context(), request);
  EXPECT_TRUE(approved.success) << approved.message;
  EXPECT_TRUE(std::filesystem::exists(project.root / "ran.txt"));
}

TEST(ProviderRunner, ExecutionComesFromRuntimeExecutionWhenTheCallerGivesNone) {
  Project project;
  project.fake_binary("codex", fake_codex("touch ran.txt\n"));
  TurnRequest request = request_for(project, Risk::kWrite, Execution::kAuto);
  request.execution.reset();
  project.env["OMK_EXECUTION"] = "never";
  EXPECT_EQ(run_turn(project.context(), request).failure, FailureCategory::kRefusedByPolicy);
  project.env.erase("OMK_EXECUTION");
  project.config("[runtime]\nexecution = \"auto\"\n");
  TurnResult result = run_turn(project.context(), request);
  EXPECT_TRUE(result.success) << result.message;
  EXPECT_TRUE(std::filesystem::exists(project.root / "ran.txt"));
}

TEST(ProviderRunner, AnApiProviderRefusesAWriteTurn) {
  Project project;
  project.config("[providers.openai-compatible]\nbase_url = \"http://127.0.0.1:9/v1\"\n");
  TurnRequest request = request_for(project, Risk::kWrite, Execution::kAuto);
  request.provider = "deepseek";
  TurnResult result = run_turn(project.context(), request);
  EXPECT_EQ(result.failure, FailureCategory::kRefusedByPolicy);
  EXPECT_NE(result.message.find("read/review/advisory only"), std::string::npos) << result.message;
}

TEST(ProviderRunner, NothingStartsOnAnUnhealthyProvider) {
  Project project;
  TurnRequest request = request_for(project, Risk::kRead, Execution::kAuto);
  try {
    run_turn(project.context(), request);
    ADD_FAILURE() << "a missing codex ran";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ExitCode::kNoProvider);
    EXPECT_NE(std::string(error.what()).find("codex: not available"), std::string::npos)
        << error.what();
  }
  // Installed but not logged in: not authenticated is not healthy either.
  project.fake_binary("codex", fake_codex("touch ran.txt\n"));
  std::filesystem::remove(project.home / ".codex/auth.json");
  try {
    run_turn(project.context(), request);
    ADD_FAILURE() << "an unauthenticated codex ran";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ExitCode::kNoProvider);
    EXPECT_NE(std::string(error.what()).find("not authenticated"), std::string::npos);
  }
  EXPECT_FALSE(std::filesystem::exists(project.root / "ran.txt"));
}

TEST(ProviderRunner, APolicyNameIsResolvedToAHealthyProviderFirst) {
  Project project;
  project.fake_binary("codex", fake_codex());
  TurnRequest request = request_for(project, Risk::kWrite, Execution::kAuto);
  request.provider = "authority";
  TurnResult result = run_turn(project.context(), request);
  EXPECT_TRUE(result.success) << result.message;
  EXPECT_EQ(result.provider, "codex");
  ASSERT_FALSE(result.notes.empty());
  EXPECT_NE(result.notes.front().find("'authority' resolved to codex"), std::string::npos)
      << result.notes.front();
}

TEST(ProviderRunner, ProviderOutputIsShownOnlyWithOmkDebugAndThenRedacted) {
  Project project;
  project.fake_binary("codex", fake_codex(std::string("echo 'fatal: upstream refused, token ") +
                                          kPlantedToken + "' >&2\nexit 1\n"));
  TurnRequest request = request_for(project, Risk::kRead, Execution::kAuto);
  safety::install_redactor(project.env);  // as omk does at startup
  TurnResult quiet = run_turn(project.context(), request);
  EXPECT_FALSE(quiet.success);
  EXPECT_EQ(quiet.failure, FailureCategory::kError) << quiet.message;
  EXPECT_EQ(quiet.message.find(kPlantedToken), std::string::npos) << quiet.message;
  EXPECT_EQ(quiet.message.find("upstream refused"), std::string::npos) << quiet.message;
  EXPECT_NE(quiet.message.find("OMK_DEBUG=1"), std::string::npos) << quiet.message;

  project.env["OMK_DEBUG"] = "1";
  TurnResult debug = run_turn(project.context(), request);
  EXPECT_NE(debug.message.find("upstream refused"), std::string::npos) << debug.message;
  EXPECT_EQ(debug.message.find(kPlantedToken), std::string::npos) << debug.message;
  EXPECT_NE(debug.message.find("[REDACTED"), std::string::npos) << debug.message;
}

TEST(ProviderRunner, RateLimitTextIsCategorisedAndRemembered) {
  Project project;
  project.fake_binary("codex",
                      fake_codex("echo 'stream error: 429 Too Many Requests' >&2\nexit 1\n"));
  TurnResult result =
      run_turn(project.context(), request_for(project, Risk::kRead, Execution::kAuto));
  EXPECT_EQ(result.failure, FailureCategory::kRateLimited) << result.message;
  EXPECT_TRUE(std::filesystem::exists(project.root / ".omk/state/provider-health.json"));
}

TEST(ProviderRunner, KimiCodeGetsItsPromptInA0600FileNamedInArgv) {
  Project project;
  project.fake_binary(
      "kimi",
      "case \"$1\" in --version) echo 'kimi 2.1.0'; exit 0;; --help) echo 'Usage: kimi "
      "[--prompt|-p TEXT] [--output-format FMT]'; exit 0;; esac\n"
      "printf '%s\\n' \"$@\" > argv.txt\n"
      "file=$(printf '%s' \"$2\" | grep -o '/[^ ]*prompt.txt')\n"
      "stat -c %a \"$file\" > mode.txt; cat \"$file\" > seen.txt\n"
      "echo '{\"role\":\"assistant\",\"content\":\"ok\"}'\n");
  TurnRequest request = request_for(project, Risk::kWrite, Execution::kAuto);
  request.provider = "kimi";
  TurnResult result = run_turn(project.context(), request);
  ASSERT_TRUE(result.success) << result.message;
  EXPECT_EQ(result.final_message, "ok");
  EXPECT_EQ(test::read_text(project.root / "seen.txt"), request.prompt);
  EXPECT_EQ(test::read_text(project.root / "mode.txt"), "600\n");
  EXPECT_EQ(test::read_text(project.root / "argv.txt").find("PROMPT-MARKER"), std::string::npos);
}

TEST(ProviderRunner, LegacyKimiCliReadsStdinAndItsExit75IsRetryable) {
  Project project;
  project.fake_binary(
      "kimi",
      "case \"$1\" in --version) echo 'kimi, version 1.49.0'; exit 0;; --help) echo 'Usage: "
      "kimi [--print] [--input-format text|stream-json] [-w DIR]'; exit 0;; esac\n"
      "printf '%s\\n' \"$@\" > argv.txt\n"
      "cat > stdin.txt\n"
      "echo 'HTTP 429 from the API, retry later' >&2\n"
      "exit 75\n");
  TurnRequest request = request_for(project, Risk::kWrite, Execution::kAuto);
  request.provider = "kimi";
  TurnResult result = run_turn(project.context(), request);
  EXPECT_EQ(result.failure, FailureCategory::kRateLimited) << result.message;
  EXPECT_EQ(test::read_text(project.root / "stdin.txt"), request.prompt);
  std::string argv = test::read_text(project.root / "argv.txt");
  EXPECT_NE(argv.find("--print\n--input-format\ntext"), std::string::npos) << argv;
  EXPECT_EQ(argv.find("PROMPT-MARKER"), std::string::npos) << argv;
}

}  // namespace
}  // namespace omk::providers
