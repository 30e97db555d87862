#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "test_support.h"

namespace omk {
namespace {
namespace fs = std::filesystem;
using test::TempDir;

class HookCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = fs::canonical(tmp_.path()) / "project";
    test::git_init(project_);
  }

  std::string fixture(const std::string& name) const {
    std::ifstream in(std::string(OMK_TEST_SOURCE_DIR) + "/tests/corpus/hooks/" + name);
    std::stringstream text;
    text << in.rdbuf();
    std::string content = text.str();
    for (size_t at; (at = content.find("${PROJECT}")) != std::string::npos;) {
      content.replace(at, 10, project_.string());
    }
    return content;
  }

  test::CommandResult hook(const std::string& format, const std::string& payload) const {
    return test::run_command({{test::omk_binary(), "hook", "pre-tool-use", "--format", format},
                              project_,
                              std::nullopt,
                              payload});
  }

  static std::string decision_in(const std::string& out) {
    if (out.empty()) return "";
    return nlohmann::json::parse(out)["hookSpecificOutput"]["permissionDecision"];
  }

  TempDir tmp_;
  fs::path project_;
};

struct Expectation {
  const char* fixture;
  int exit_code;
  const char* decision;  // permissionDecision on stdout, "" for none
};

TEST_F(HookCommand, ClaudeCodeFixtures) {
  for (const Expectation& e :
       std::initializer_list<Expectation>{{"claude/allow_bash.json", 0, ""},
                                          {"claude/allow_edit.json", 0, ""},
                                          {"claude/deny_bash.json", 2, "deny"},
                                          {"claude/deny_write.json", 2, "deny"},
                                          {"claude/deny_multiedit.json", 2, "deny"},
                                          {"claude/deny_read.json", 2, "deny"},
                                          {"claude/ask_bash.json", 0, "ask"},
                                          {"claude/malformed.json", 2, "deny"},
                                          {"claude/unknown_tool.json", 2, "deny"},
                                          {"claude/wrong_event.json", 2, "deny"},
                                          {"claude/missing_command.json", 2, "deny"}}) {
    auto result = hook("claude", fixture(e.fixture));
    EXPECT_EQ(result.exit_code, e.exit_code) << e.fixture << ": " << result.out << result.err;
    EXPECT_EQ(decision_in(result.out), e.decision) << e.fixture;
    if (e.exit_code == 2) {
      EXPECT_NE(result.err.find("omk guard: "), std::string::npos) << e.fixture;
    }
  }
}

TEST_F(HookCommand, CodexFixtures) {
  for (const Expectation& e :
       std::initializer_list<Expectation>{{"codex/allow_bash.json", 0, ""},
                                          {"codex/allow_apply_patch.json", 0, ""},
                                          {"codex/deny_bash.json", 2, "deny"},
                                          {"codex/deny_argv.json", 2, "deny"},
                                          {"codex/deny_apply_patch.json", 2, "deny"},
                                          {"codex/ask_bash.json", 2, "deny"},
                                          {"codex/malformed.json", 2, "deny"},
                                          {"codex/unknown_tool.json", 2, "deny"}}) {
    auto result = hook("codex", fixture(e.fixture));
    EXPECT_EQ(result.exit_code, e.exit_code) << e.fixture << ": " << result.out << result.err;
    EXPECT_EQ(decision_in(result.out), e.decision) << e.fixture;
    // Codex only blocks on exit 2 when stderr carries the reason.
    if (e.exit_code == 2) {
      EXPECT_FALSE(result.err.empty()) << e.fixture;
    }
  }
}

TEST_F(HookCommand, KimiFixtures) {
  for (const Expectation& e :
       std::initializer_list<Expectation>{{"kimi/allow_shell.json", 0, ""},
                                          {"kimi/allow_edit.json", 0, ""},
                                          {"kimi/deny_bash.json", 2, "deny"},
                                          {"kimi/deny_writefile.json", 2, "deny"},
                                          {"kimi/deny_strreplace.json", 2, "deny"},
                                          {"kimi/ask_shell.json", 2, "deny"},
                                          {"kimi/malformed.json", 2, "deny"},
                                          {"kimi/unknown_tool.json", 2, "deny"}}) {
    auto result = hook("kimi", fixture(e.fixture));
    EXPECT_EQ(result.exit_code, e.exit_code) << e.fixture << ": " << result.out << result.err;
    EXPECT_EQ(decision_in(result.out), e.decision) << e.fixture;
  }
}

TEST_F(HookCommand, AutoDetectsTheProtocol) {
  auto codex_ask = hook("auto", fixture("codex/ask_bash.json"));
  EXPECT_EQ(codex_ask.exit_code, 2) << "Codex cannot ask: blocked";
  auto claude_ask = hook("auto", fixture("claude/ask_bash.json"));
  EXPECT_EQ(claude_ask.exit_code, 0);
  EXPECT_EQ(decision_in(claude_ask.out), "ask");
}

TEST_F(HookCommand, HugeInputIsRefusedAndLargeInputJudged) {
  std::string huge(20u << 20, ' ');
  auto refused = hook("claude", huge);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("16 MiB"), std::string::npos) << refused.err;

  nlohmann::json write = {
      {"cwd", project_.string()},
      {"hook_event_name", "PreToolUse"},
      {"tool_name", "Write"},
      {"tool_input", {{"file_path", "notes.txt"}, {"content", std::string(2u << 20, 'x')}}}};
  EXPECT_EQ(hook("claude", write.dump()).exit_code, 0);
  nlohmann::json long_command = {
      {"cwd", project_.string()},
      {"hook_event_name", "PreToolUse"},
      {"tool_name", "Bash"},
      {"tool_input", {{"command", "echo " + std::string(500000, 'a') + " && rm -rf ~"}}}};
  EXPECT_EQ(hook("claude", long_command.dump()).exit_code, 2);
}

TEST_F(HookCommand, WritingASecretIsDeniedWithoutEchoingIt) {
  // A made-up token of GitHub's shape, not a credential.
  std::string token = "ghp_" + std::string("Zq8vN2kLw4Xr7Tb1Hc6Jm3Pd9Fs5Gy0AeUoK");
  nlohmann::json write = {
      {"cwd", project_.string()},
      {"hook_event_name", "PreToolUse"},
      {"tool_name", "Write"},
      {"tool_input",
       {{"file_path", "src/config.ts"}, {"content", "export const t = '" + token + "';\n"}}}};
  auto result = hook("claude", write.dump());
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_EQ(decision_in(result.out), "deny");
  EXPECT_NE((result.out + result.err).find("secret"), std::string::npos);
  EXPECT_EQ((result.out + result.err).find(token), std::string::npos);
}

TEST_F(HookCommand, StillJudgesASessionInTheHomeDirectory) {
  fs::path home = project_.parent_path() / "home";
  fs::create_directories(home);
  auto payload = [&](const std::string& command) {
    return nlohmann::json{{"cwd", home.string()},
                          {"hook_event_name", "PreToolUse"},
                          {"tool_name", "Bash"},
                          {"tool_input", {{"command", command}}}}
        .dump();
  };
  auto run = [&](const std::string& command) {
    return test::run_command({{"/usr/bin/env", "HOME=" + home.string(), "OMK_PROJECT_ROOT=",
                               test::omk_binary(), "hook", "pre-tool-use", "--format", "claude"},
                              home,
                              std::nullopt,
                              payload(command)});
  };
  EXPECT_EQ(run("ls -la").exit_code, 0);
  auto denied = run("rm -rf ~");
  EXPECT_EQ(denied.exit_code, 2) << denied.err;
  EXPECT_NE(denied.err.find("rm-"), std::string::npos) << denied.err;
}

TEST_F(HookCommand, ABrokenProjectConfigFailsClosed) {
  test::write_text(project_ / ".omk/config.toml", "[guard\nbroken");
  auto result = hook("claude", fixture("claude/allow_bash.json"));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("config.toml"), std::string::npos) << result.err;
}

TEST_F(HookCommand, ProjectAllowRulesPreApproveInClaudeCode) {
  test::write_text(project_ / ".omk/config.toml",
                   "[guard]\nallow = [\"Bash(npm test:*)\", \"Bash(git status)\"]\n");
  auto result = hook("claude", fixture("claude/allow_bash.json"));
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(decision_in(result.out), "allow");
}

}  // namespace
}  // namespace omk
