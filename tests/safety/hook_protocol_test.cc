#include "safety/hook_protocol.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace omk::guard {
namespace {
namespace fs = std::filesystem;

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(OMK_TEST_SOURCE_DIR) + "/tests/corpus/hooks/" + name);
  std::stringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  for (size_t at; (at = content.find("${PROJECT}")) != std::string::npos;) {
    content.replace(at, 10, "/work/project");
  }
  return content;
}

TEST(HookProtocol, DetectsEachCliFromItsPayload) {
  EXPECT_EQ(parse_hook_input(fixture("claude/allow_bash.json"), HookFormat::kAuto).format,
            HookFormat::kClaude);
  EXPECT_EQ(parse_hook_input(fixture("codex/allow_bash.json"), HookFormat::kAuto).format,
            HookFormat::kCodex);
  EXPECT_EQ(parse_hook_input(fixture("kimi/allow_shell.json"), HookFormat::kAuto).format,
            HookFormat::kKimi);
  EXPECT_EQ(parse_hook_input(fixture("kimi/deny_bash.json"), HookFormat::kAuto).format,
            HookFormat::kKimi);
  EXPECT_EQ(parse_hook_input(fixture("codex/allow_bash.json"), HookFormat::kClaude).format,
            HookFormat::kClaude);
}

TEST(HookProtocol, ReadsEachToolShape) {
  auto bash = parse_hook_input(fixture("claude/allow_bash.json"), HookFormat::kClaude);
  ASSERT_TRUE(bash.call);
  EXPECT_EQ(bash.call->kind, ToolCall::Kind::kShell);
  EXPECT_EQ(bash.call->command, "npm test && git status");
  EXPECT_EQ(bash.cwd, "/work/project");

  auto multiedit = parse_hook_input(fixture("claude/deny_multiedit.json"), HookFormat::kClaude);
  ASSERT_TRUE(multiedit.call);
  EXPECT_EQ(multiedit.call->kind, ToolCall::Kind::kWrite);
  EXPECT_EQ(multiedit.call->path, "/work/project/.git/hooks/pre-commit");
  EXPECT_EQ(multiedit.call->content, "b\n");

  auto argv = parse_hook_input(fixture("codex/deny_argv.json"), HookFormat::kCodex);
  ASSERT_TRUE(argv.call);
  EXPECT_EQ(argv.call->command, "bash -lc 'rm -rf \"$HOME\"'");

  auto patch = parse_hook_input(fixture("codex/deny_apply_patch.json"), HookFormat::kCodex);
  ASSERT_TRUE(patch.call);
  EXPECT_EQ(patch.call->kind, ToolCall::Kind::kPatch);
  EXPECT_NE(patch.call->patch.find("*** Update File: .codex/hooks.json"), std::string::npos);

  auto replace = parse_hook_input(fixture("kimi/deny_strreplace.json"), HookFormat::kKimi);
  ASSERT_TRUE(replace.call);
  EXPECT_EQ(replace.call->path, ".kimi/hooks.toml");
  EXPECT_EQ(replace.call->content, "open\n");

  auto read = parse_hook_input(fixture("claude/deny_read.json"), HookFormat::kClaude);
  ASSERT_TRUE(read.call);
  EXPECT_EQ(read.call->kind, ToolCall::Kind::kRead);
}

TEST(HookProtocol, WhatCannotBeJudgedHasAProblemAndNoCall) {
  for (const char* name :
       {"claude/malformed.json", "claude/unknown_tool.json", "claude/wrong_event.json",
        "claude/missing_command.json", "codex/malformed.json", "codex/unknown_tool.json",
        "kimi/malformed.json", "kimi/unknown_tool.json"}) {
    auto input = parse_hook_input(fixture(name), HookFormat::kAuto);
    EXPECT_FALSE(input.call) << name;
    EXPECT_FALSE(input.problem.empty()) << name;
  }
  EXPECT_FALSE(parse_hook_input("[]", HookFormat::kClaude).call);
  EXPECT_FALSE(parse_hook_input("", HookFormat::kClaude).call);
}

Verdict verdict_of(Decision decision, bool explicitly_allowed = false) {
  Verdict verdict;
  if (decision != Decision::kAllow) verdict.add({decision, "rule-x", "a reason", "cmd", ""});
  verdict.explicitly_allowed = explicitly_allowed;
  return verdict;
}

TEST(HookProtocol, DenyBlocksInEveryProtocol) {
  for (HookFormat format : {HookFormat::kClaude, HookFormat::kCodex, HookFormat::kKimi}) {
    HookOutput output = render_hook_output(format, verdict_of(Decision::kDeny));
    EXPECT_EQ(output.exit_code, 2);
    EXPECT_NE(output.err.find("a reason [rule-x]"), std::string::npos);
    auto json = nlohmann::json::parse(output.out);
    EXPECT_EQ(json["hookSpecificOutput"]["permissionDecision"], "deny");
    EXPECT_EQ(json["hookSpecificOutput"]["hookEventName"], "PreToolUse");
  }
}

TEST(HookProtocol, AskIsAskedWhereTheCliCanAndBlockedWhereItCannot) {
  HookOutput claude = render_hook_output(HookFormat::kClaude, verdict_of(Decision::kAsk));
  EXPECT_EQ(claude.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(claude.out)["hookSpecificOutput"]["permissionDecision"], "ask");
  for (HookFormat format : {HookFormat::kCodex, HookFormat::kKimi}) {
    HookOutput output = render_hook_output(format, verdict_of(Decision::kAsk));
    EXPECT_EQ(output.exit_code, 2);
    EXPECT_NE(output.err.find("needs a person's approval"), std::string::npos);
  }
}

TEST(HookProtocol, AllowIsSilentUnlessProjectRulesAllowedExplicitly) {
  for (HookFormat format : {HookFormat::kClaude, HookFormat::kCodex, HookFormat::kKimi}) {
    HookOutput output = render_hook_output(format, verdict_of(Decision::kAllow));
    EXPECT_EQ(output.exit_code, 0);
    EXPECT_EQ(output.out, "");
    EXPECT_EQ(output.err, "");
  }
  HookOutput claude = render_hook_output(HookFormat::kClaude, verdict_of(Decision::kAllow, true));
  EXPECT_EQ(nlohmann::json::parse(claude.out)["hookSpecificOutput"]["permissionDecision"], "allow");
  // Codex rejects "allow" without updatedInput: silence is its allow.
  EXPECT_EQ(render_hook_output(HookFormat::kCodex, verdict_of(Decision::kAllow, true)).out, "");
}

}  // namespace
}  // namespace omk::guard
