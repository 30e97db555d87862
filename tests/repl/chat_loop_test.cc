// The root loop under a pseudo-terminal, without an agent: startup is offline, slash commands
// answer locally, exit words, Ctrl-C and Ctrl-D end the session.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include "chat_fixture.h"

namespace omk::repl {
namespace {

namespace fs = std::filesystem;
using test_fixture::ChatProject;

constexpr const char* kPrompt = "omk> ";

TEST(ChatLoop, StartupIsOfflineNoServerStartsNoSocketOpens) {
  ChatProject project;
  // A stdio MCP server that records any start, an HTTP MCP server and a provider API that
  // record any request.
  fs::path marker = project.tmp.path() / "started";
  fs::path recorder = project.tmp.path() / "record-start.sh";
  omk::test::write_text(recorder, "#!/bin/sh\ntouch '" + marker.string() + "'\n");
  fs::permissions(recorder, fs::perms::owner_all);
  omk::test::ModelServer mcp_http;
  omk::test::ModelServer model;
  omk::test::write_text(
      project.root / ".omk/mcp.json",
      nlohmann::json{{"mcpServers",
                      {{"recorder", {{"command", recorder.string()}, {"required", true}}},
                       {"remote", {{"url", mcp_http.base_url() + "/mcp"}}}}}}
          .dump());
  project.claude_at(model);
  auto chat = project.start({"chat"});
  size_t ready = chat->wait_for(kPrompt);
  ASSERT_NE(ready, std::string::npos) << chat->output();
  std::string banner = chat->output().substr(0, ready);
  EXPECT_NE(banner.find(project.root.filename().string()), std::string::npos) << banner;
  EXPECT_NE(banner.find("provider:"), std::string::npos) << banner;
  EXPECT_NE(banner.find("execution: ask"), std::string::npos) << banner;
  EXPECT_NE(banner.find("sandbox: workspace-write"), std::string::npos) << banner;
  EXPECT_NE(banner.find("MCP: project scope, 2 servers"), std::string::npos)
      << "the MCP summary line: " << banner;
  chat->type("/mcp\n");
  size_t mcp = chat->wait_for("/mcp check starts", ready);
  ASSERT_NE(mcp, std::string::npos) << chat->output();
  EXPECT_NE(chat->output().find("recorder", ready), std::string::npos) << chat->output();
  chat->type("/status\n");
  EXPECT_NE(chat->wait_for("session run:", mcp), std::string::npos) << chat->output();
  chat->type("/exit\n");
  EXPECT_EQ(chat->wait_exit(), 0) << chat->output();
  EXPECT_FALSE(fs::exists(marker)) << "omk chat started an MCP server";
  EXPECT_TRUE(mcp_http.requests().empty()) << mcp_http.requests().dump();
  EXPECT_TRUE(model.requests().empty()) << model.requests().dump();
  EXPECT_EQ(project.only_run_id(), "") << "a session without turns records no run";
}

TEST(ChatLoop, ProviderAndModelAreRestartOnly) {
  ChatProject project;
  omk::test::ModelServer model;
  project.claude_at(model);
  auto chat = project.start({"chat", "--execution", "auto"});
  size_t at = chat->wait_for(kPrompt);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("/provider codex\n");
  at = chat->wait_for("omk chat --provider codex --execution auto", at);
  EXPECT_NE(at, std::string::npos) << chat->output();
  chat->type("/model gpt-5.5\n");
  at = chat->wait_for("--model gpt-5.5", at);
  EXPECT_NE(at, std::string::npos) << chat->output();
  chat->type("quit\n");
  EXPECT_EQ(chat->wait_exit(), 0) << chat->output();
  EXPECT_TRUE(model.requests().empty());
}

TEST(ChatLoop, UnknownSlashCommandIsAHintNeverAModelCall) {
  ChatProject project;
  omk::test::ModelServer model;
  project.claude_at(model);
  bool peers = project.use_peers();  // a real agent would be reachable; it must not be called
  auto chat = project.start({"chat", "--provider", "claude", "--execution", "auto"});
  size_t at = chat->wait_for(kPrompt);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("/frobnicate the build\n");
  at = chat->wait_for("Unknown command /frobnicate", at);
  EXPECT_NE(at, std::string::npos) << chat->output();
  EXPECT_NE(chat->wait_for("/help", at), std::string::npos) << chat->output();
  chat->type("/risk shell\n");
  EXPECT_NE(chat->wait_for("risk: shell for the next turns", at), std::string::npos)
      << chat->output();
  chat->type(":q\n");
  EXPECT_EQ(chat->wait_exit(), 0) << chat->output();
  EXPECT_TRUE(model.requests().empty()) << "peers installed: " << peers;
  EXPECT_EQ(project.only_run_id(), "");
}

TEST(ChatLoop, CtrlCClearsTheLineAndASecondOneExits) {
  ChatProject project;
  auto chat = project.start({"chat"});
  size_t at = chat->wait_for(kPrompt);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("half a request");
  chat->type("\x03");
  at = chat->wait_for("Ctrl-C again", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  at = chat->wait_for(kPrompt, at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("\x03");
  EXPECT_EQ(chat->wait_exit(), 0) << chat->output();
  EXPECT_EQ(project.only_run_id(), "") << "the cleared line never became a turn";
}

// A terminal that goes away (its window closed, an ssh connection dropped) ends the session,
// even when SIGHUP does not (nohup): the prompt must not spin on a dead terminal.
TEST(ChatLoop, AClosedTerminalEndsTheSession) {
  ChatProject project;
  auto chat = project.start({"chat"}, /*ignore_hangup=*/true);
  size_t at = chat->wait_for(kPrompt);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("half a request");
  chat->hang_up();
  EXPECT_EQ(chat->wait_exit(), 0) << chat->output();
  EXPECT_EQ(project.only_run_id(), "") << "the unfinished line never became a turn";
}

TEST(ChatLoop, CtrlDEndsTheSessionAndHistoryIsPrivateAndRedacted) {
  ChatProject project;
  auto chat = project.start({"chat"});
  size_t at = chat->wait_for(kPrompt);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("/help ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5\n");
  at = chat->wait_for("Commands:", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  at = chat->wait_for(kPrompt, at);
  chat->type("\x04");
  EXPECT_EQ(chat->wait_exit(), 0) << chat->output();
  fs::path history = project.root / ".omk/history";
  ASSERT_TRUE(fs::exists(history));
  struct stat info {};
  ASSERT_EQ(::stat(history.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  std::string text = omk::test::read_text(history);
  EXPECT_NE(text.find("/help"), std::string::npos) << text;
  EXPECT_EQ(text.find("ghp_aB3dE5"), std::string::npos) << text;
  EXPECT_NE(text.find("REDACTED"), std::string::npos) << text;
}

}  // namespace
}  // namespace omk::repl
