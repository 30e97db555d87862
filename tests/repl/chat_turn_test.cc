// Turns through the root loop under a pseudo-terminal: the real pinned `claude` CLI (tests/peers)
// talks to the scripted model server on 127.0.0.1. Skipped when the peers are not installed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "chat_fixture.h"

namespace omk::repl {
namespace {

namespace fs = std::filesystem;
using test_fixture::ChatProject;
using test_fixture::script;

constexpr const char* kPrompt = "omk> ";
constexpr const char* kInPlace = "[runtime]\nisolate_turns = false\n";

#define REQUIRE_PEERS(project) \
  if (!(project).use_peers())  \
  GTEST_SKIP() << "tests/peers not installed (scripts/bootstrap --tests)"

nlohmann::json load_json(const fs::path& path) {
  return nlohmann::json::parse(omk::test::read_text(path));
}

TEST(ChatTurn, ReadTurnStreamsTheAnswerAndIsRecordedAsARun) {
  ChatProject project;
  REQUIRE_PEERS(project);
  omk::test::ModelServer model(script(R"([{"text": "main.cc returns zero: ANSWER-31"}])"));
  project.claude_at(model);
  auto chat = project.start({"chat", "--provider", "claude"});
  size_t at = chat->wait_for(kPrompt);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("what does main.cc do?\n");
  at = chat->wait_for("ANSWER-31", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  at = chat->wait_for("[turn-1] succeeded", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  EXPECT_NE(chat->output().find("risk read"), std::string::npos) << chat->output();
  chat->type("/exit\n");
  EXPECT_EQ(chat->wait_exit(), 0) << chat->output();

  std::string run = project.only_run_id();
  ASSERT_FALSE(run.empty());
  fs::path dir = project.root / ".omk/runs" / run;
  EXPECT_EQ(load_json(dir / "run.json")["kind"], "chat");
  EXPECT_EQ(load_json(dir / "run.json")["status"], "succeeded");
  nlohmann::json harness = load_json(dir / "harness.json");
  EXPECT_EQ(omk::test::schema_errors("omk.harness.v1", harness.dump()), "");
  EXPECT_TRUE(harness["lanes"].contains("turn-1")) << harness.dump();
  std::string decisions = omk::test::read_text(dir / "decisions.jsonl");
  EXPECT_NE(decisions.find("\"risk\":\"read\""), std::string::npos) << decisions;
  nlohmann::json result = load_json(dir / "lanes/turn-1/result.json");
  EXPECT_EQ(omk::test::schema_errors("omk.turn.v1", result.dump()), "");
  EXPECT_NE(omk::test::read_text(dir / "lanes/turn-1/envelope.txt").find("what does main.cc do?"),
            std::string::npos);
  auto runs = project.run({"runs"});
  EXPECT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_NE(runs.out.find(run), std::string::npos) << runs.out;
  auto inspect = project.run({"inspect", run, "--json"});
  EXPECT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("turn-1"), std::string::npos) << inspect.out;
}

TEST(ChatTurn, WriteTurnEditsTheFileAndSyncsTheChecklist) {
  ChatProject project;
  REQUIRE_PEERS(project);
  // A write turn gets claude's edit tools (acceptEdits), not Bash.
  nlohmann::json steps = {
      {{"tool", "Write"},
       {"args", {{"file_path", (project.root / "out.txt").string()}, {"content", "hello\n"}}}},
      {{"text", "Wrote out.txt.\n- [x] write out.txt\n- [ ] review out.txt"}}};
  omk::test::ModelServer model(script(steps.dump()));
  // The scripted Write names the project's own path, so this turn edits in place (the
  // worktree flow has its own tests in chat_worktree_test.cc).
  project.claude_at(model, kInPlace);
  auto chat = project.start({"chat", "--provider", "claude", "--execution", "auto"});
  size_t at = chat->wait_for(kPrompt);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("create out.txt containing hello\n");
  at = chat->wait_for("[turn-1] succeeded", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  EXPECT_NE(chat->output().find("~ " + (project.root / "out.txt").string()), std::string::npos)
      << "the file-change marker: " << chat->output();
  EXPECT_EQ(omk::test::read_text(project.root / "out.txt"), "hello\n");
  chat->type("/todo\n");
  at = chat->wait_for("[ ] review out.txt", at);
  EXPECT_NE(at, std::string::npos) << chat->output();
  EXPECT_NE(chat->output().find("[x] write out.txt"), std::string::npos) << chat->output();
  chat->type("exit\n");
  EXPECT_EQ(chat->wait_exit(), 0) << chat->output();
  nlohmann::json todos = load_json(project.root / ".omk/todos.json");
  ASSERT_EQ(todos["items"].size(), 2u) << todos.dump();
  EXPECT_EQ(todos["items"][0]["done"], true);
}

TEST(ChatTurn, AskApprovalAnsweredNoThenYes) {
  ChatProject project;
  REQUIRE_PEERS(project);
  nlohmann::json steps = {
      {{"tool", "Write"},
       {"args",
        {{"file_path", (project.root / "approved.txt").string()}, {"content", "approved\n"}}}},
      {{"text", "done"}}};
  omk::test::ModelServer model(script(steps.dump()));
  project.claude_at(model, kInPlace);
  auto chat = project.start({"chat", "--provider", "claude", "--execution", "ask"});
  size_t at = chat->wait_for(kPrompt);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("create approved.txt\n");
  at = chat->wait_for("[y/N]", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("n\n");
  at = chat->wait_for("[turn-1] refused", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  EXPECT_FALSE(fs::exists(project.root / "approved.txt"));
  EXPECT_TRUE(model.requests().empty()) << "a declined turn reached the model";
  at = chat->wait_for(kPrompt, at);
  chat->type("create approved.txt\n");
  at = chat->wait_for("[y/N]", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("y\n");
  at = chat->wait_for("[turn-2] succeeded", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  EXPECT_EQ(omk::test::read_text(project.root / "approved.txt"), "approved\n");
  chat->type("/exit\n");
  EXPECT_EQ(chat->wait_exit(), 0) << chat->output();
}

TEST(ChatTurn, CtrlCCancelsALongTurnAndTheSessionGoesOn) {
  ChatProject project;
  REQUIRE_PEERS(project);
  // The model answers after 10 minutes: only a cancel ends this turn.
  omk::test::ModelServer model(script(R"([{"text": "too late", "delay_ms": 600000}])"));
  project.claude_at(model);
  auto chat = project.start({"chat", "--provider", "claude"});
  size_t at = chat->wait_for(kPrompt);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("explain main.cc\n");
  at = chat->wait_for("→ claude", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("\x03");
  at = chat->wait_for("[turn-1] cancelled", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  at = chat->wait_for(kPrompt, at);
  ASSERT_NE(at, std::string::npos) << "back at the prompt: " << chat->output();
  chat->type("/exit\n");
  EXPECT_EQ(chat->wait_exit(), 0) << chat->output();
  nlohmann::json result =
      load_json(project.root / ".omk/runs" / project.only_run_id() / "lanes/turn-1/result.json");
  EXPECT_EQ(result["outcome"], "cancelled");
  EXPECT_EQ(result["exit_code"], 130);
}

TEST(ChatTurn, OnceIsCancelledByCtrlCWithExit130) {
  ChatProject project;
  REQUIRE_PEERS(project);
  omk::test::ModelServer model(script(R"([{"text": "too late", "delay_ms": 600000}])"));
  project.claude_at(model);
  auto chat = project.start({"chat", "--provider", "claude", "--once", "explain main.cc"});
  ASSERT_NE(chat->wait_for("→ claude"), std::string::npos) << chat->output();
  chat->type("\x03");
  EXPECT_EQ(chat->wait_exit(), 130) << chat->output();
}

TEST(ChatTurn, TurnTimeoutEndsTheTurnWithAClearMessage) {
  ChatProject project;
  REQUIRE_PEERS(project);
  omk::test::ModelServer model(script(R"([{"text": "too late", "delay_ms": 600000}])"));
  project.claude_at(model);
  project.env["OMK_TURN_TIMEOUT_MS"] = "3000";
  auto chat = project.start({"chat", "--provider", "claude"});
  size_t at = chat->wait_for(kPrompt);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("explain main.cc\n");
  at = chat->wait_for("longer than its limit of 3000 ms", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  EXPECT_NE(chat->output().find("OMK_TURN_TIMEOUT_MS"), std::string::npos);
  chat->type("/exit\n");
  EXPECT_EQ(chat->wait_exit(), 0) << chat->output();
}

TEST(ChatTurn, OnceJsonPrintsOneTurnDocument) {
  ChatProject project;
  REQUIRE_PEERS(project);
  omk::test::ModelServer model(script(R"([{"text": "four - [ ] check the sum"}])"));
  project.claude_at(model);
  auto result = project.run({"chat", "--provider", "claude", "--once", "what is 2+2?", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_EQ(omk::test::schema_errors("omk.turn.v1", result.out), "");
  auto document = nlohmann::json::parse(result.out);
  EXPECT_EQ(document["outcome"], "succeeded");
  EXPECT_EQ(document["route"]["risk"], "read");
  EXPECT_EQ(document["route"]["provider"], "claude");
  EXPECT_NE(document["final_message"].get<std::string>().find("four"), std::string::npos);
}

TEST(ChatTurn, PromptOnStdinRunsOneTurn) {
  ChatProject project;
  REQUIRE_PEERS(project);
  omk::test::ModelServer model(script(R"([{"text": "STDIN-ANSWER-77"}])"));
  project.claude_at(model);
  auto result = project.run({"chat", "--provider", "claude"}, "what is in main.cc?\n");
  EXPECT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_NE(result.out.find("STDIN-ANSWER-77"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("omk> "), std::string::npos) << "no prompt without a terminal";
}

}  // namespace
}  // namespace omk::repl
