#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace omk {
namespace {
namespace fs = std::filesystem;
using test::read_text;
using test::run_omk;
using test::TempDir;
using test::write_text;

class InitCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = tmp_.path() / "project";
    test::git_init(project_);
  }
  nlohmann::json init_json(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"init", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto result = run_omk(args, project_);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(test::schema_errors("omk.init.v1", result.out), "");
    return nlohmann::json::parse(result.out);
  }
  static std::string action(const nlohmann::json& doc, const std::string& path) {
    for (const auto& file : doc["files"]) {
      if (file["path"] == path) return file["action"];
    }
    return "absent";
  }
  TempDir tmp_;
  fs::path project_;
};

TEST_F(InitCommand, FreshProjectGetsProjectScopedFiles) {
  auto result = run_omk({"init"}, project_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("created         .omk/config.toml"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\"project\""), std::string::npos);
  auto config = read_text(project_ / ".omk/config.toml");
  EXPECT_NE(config.find("mcp = \"project\""), std::string::npos);
  EXPECT_NE(config.find("turn_timeout_ms = 120000"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(read_text(project_ / ".omk/mcp.json"))["mcpServers"],
            nlohmann::json::object());
  // The agent-facing file starts with the built-in omk-project server (and nothing else).
  auto kimi_servers = nlohmann::json::parse(read_text(project_ / ".kimi/mcp.json"))["mcpServers"];
  ASSERT_EQ(kimi_servers.size(), 1u);
  EXPECT_TRUE(kimi_servers.contains("omk-project"));
  EXPECT_TRUE(fs::is_directory(project_ / ".kimi/skills"));
  EXPECT_TRUE(fs::is_directory(project_ / ".kimi/hooks"));
  EXPECT_NE(read_text(project_ / "AGENTS.md").find(".omk/"), std::string::npos);
  auto gitignore = read_text(project_ / ".gitignore");
  for (const char* line : {".omk/runs/", ".omk/worktrees/", ".omk/*.db"}) {
    EXPECT_NE(gitignore.find(line), std::string::npos) << line;
  }
  // the config it wrote is one omk itself accepts
  EXPECT_EQ(run_omk({"config", "show"}, project_).exit_code, 0);
}

TEST_F(InitCommand, JsonListsEveryFile) {
  auto doc = init_json();
  EXPECT_EQ(doc["root"], project_.string());
  EXPECT_EQ(doc["root_source"], "git");
  EXPECT_EQ(doc["scopes"]["mcp"], "project");
  EXPECT_EQ(action(doc, ".omk/config.toml"), "created");
  EXPECT_EQ(action(doc, "AGENTS.md"), "created");
}

TEST_F(InitCommand, RerunKeepsUserEdits) {
  init_json();
  write_text(project_ / ".omk/config.toml", "[runtime]\nprovider = \"codex\"\n");
  write_text(project_ / "AGENTS.md", "# my own rules\n");
  auto doc = init_json();
  EXPECT_EQ(action(doc, ".omk/config.toml"), "kept");
  EXPECT_EQ(action(doc, "AGENTS.md"), "kept");
  EXPECT_EQ(action(doc, ".omk/mcp.json"), "unchanged");
  EXPECT_EQ(read_text(project_ / ".omk/config.toml"), "[runtime]\nprovider = \"codex\"\n");
  EXPECT_EQ(read_text(project_ / "AGENTS.md"), "# my own rules\n");
  auto human = run_omk({"init"}, project_);
  EXPECT_NE(human.out.find("--force rewrites it"), std::string::npos) << human.out;
}

TEST_F(InitCommand, ForceSavesABackup) {
  init_json();
  write_text(project_ / ".omk/config.toml", "[runtime]\nprovider = \"codex\"\n");
  write_text(project_ / "AGENTS.md", "# my own rules\n");
  auto doc = init_json({"--force"});
  EXPECT_EQ(action(doc, ".omk/config.toml"), "overwritten");
  for (const auto& file : doc["files"]) {
    if (file["path"] == ".omk/config.toml") {
      EXPECT_EQ(file["backup"], ".omk/config.toml.bak");
    }
  }
  EXPECT_EQ(read_text(project_ / ".omk/config.toml.bak"), "[runtime]\nprovider = \"codex\"\n");
  EXPECT_NE(read_text(project_ / ".omk/config.toml").find("provider = \"auto\""),
            std::string::npos);
  EXPECT_EQ(read_text(project_ / "AGENTS.md"), "# my own rules\n") << "AGENTS.md is the user's";
}

TEST_F(InitCommand, LocalUserWritesAllScopesAndCopiesNothingFromHome) {
  fs::path home = tmp_.path() / "home";
  write_text(home / ".kimi/config.toml", "[providers.kimi]\napi_key = \"sk-secret-value\"\n");
  write_text(home / ".omk/config.toml", "[runtime]\nprovider = \"kimi\"\n");
  write_text(home / ".kimi/mcp.json", "{\"mcpServers\":{\"x\":{\"command\":\"x\"}}}");
  auto result = run_omk({"init", "--local-user"}, project_, {{"HOME", home.string()}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("trusted local-user"), std::string::npos) << result.out;
  auto config = read_text(project_ / ".omk/config.toml");
  for (const char* key : {"mcp = \"all\"", "skills = \"all\"", "hooks = \"all\""}) {
    EXPECT_NE(config.find(key), std::string::npos) << key;
  }
  EXPECT_NE(config.find("provider = \"auto\""), std::string::npos);
  for (const auto& entry : fs::recursive_directory_iterator(project_)) {
    if (entry.is_regular_file()) {
      EXPECT_EQ(read_text(entry.path()).find("sk-secret-value"), std::string::npos) << entry.path();
    }
  }
  EXPECT_EQ(read_text(project_ / ".kimi/mcp.json").find("\"x\""), std::string::npos);
}

TEST_F(InitCommand, DryRunPrintsThePlanAndWritesNothing) {
  auto result = run_omk({"init", "--dry-run"}, project_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("would create    .omk/config.toml"), std::string::npos) << result.out;
  EXPECT_FALSE(fs::exists(project_ / ".omk"));
  EXPECT_FALSE(fs::exists(project_ / "AGENTS.md"));
  auto doc = init_json({"--dry-run"});
  EXPECT_TRUE(doc["dry_run"]);
  EXPECT_FALSE(fs::exists(project_ / ".omk"));
}

TEST_F(InitCommand, ReadOnlyOmkDirectoryFailsCleanly) {
  fs::create_directories(project_ / ".omk");
  auto result = test::run_omk_with_readonly_dir({"init"}, project_, project_ / ".omk");
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.err.find(".omk/config.toml"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("nothing was changed"), std::string::npos) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << "one clear message";
  EXPECT_FALSE(fs::exists(project_ / ".kimi")) << "half-written project";
  EXPECT_FALSE(fs::exists(project_ / "AGENTS.md"));
  EXPECT_FALSE(fs::exists(project_ / ".gitignore"));
}

TEST_F(InitCommand, ReadOnlyProjectFailsCleanly) {
  auto result = test::run_omk_with_readonly_dir({"init"}, project_, project_);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(project_.string()), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(project_ / ".omk"));
}

TEST_F(InitCommand, MissingProjectPathIsAUsageError) {
  auto result = run_omk({"--project", (tmp_.path() / "nowhere").string(), "init"}, tmp_.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("nowhere"), std::string::npos);
  EXPECT_NE(result.err.find("does not exist"), std::string::npos);
}

TEST_F(InitCommand, RefusesHomeUnlessNamed) {
  fs::path home = tmp_.path() / "home";
  fs::create_directories(home);
  auto refused = run_omk({"init"}, home, {{"HOME", home.string()}, {"OMK_PROJECT_ROOT", "\x01"}});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--project"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(home / ".omk"));
  auto named = run_omk({"init", "--project", home.string()}, home, {{"HOME", home.string()}});
  EXPECT_EQ(named.exit_code, 0) << named.err;
}

TEST_F(InitCommand, WarnsWhenAKeptConfigIsInvalid) {
  write_text(project_ / ".omk/config.toml", "[scopes]\nmcp = \"everything\"\n");
  auto result = run_omk({"init"}, project_);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.err.find("scopes.mcp"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("--force"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace omk

namespace omk {
namespace {
namespace fs = std::filesystem;
using test::read_text;
using test::run_omk;
using test::TempDir;
using test::write_text;

class InitHooks : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = tmp_.path() / "project";
    test::git_init(project_);
  }
  static std::string hook_command(const nlohmann::json& settings) {
    return settings["hooks"]["PreToolUse"].back()["hooks"][0]["command"];
  }
  TempDir tmp_;
  fs::path project_;
};

TEST_F(InitHooks, RegistersTheGuardForEachAgentByAbsolutePath) {
  auto result = run_omk({"init", "--json"}, project_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(test::schema_errors("omk.init.v1", result.out), "");
  auto doc = nlohmann::json::parse(result.out);
  EXPECT_FALSE(doc["hooks"]["from_path"]);
  std::string binary = fs::canonical(test::omk_binary()).string();
  auto claude = nlohmann::json::parse(read_text(project_ / ".claude/settings.json"));
  EXPECT_EQ(hook_command(claude), binary + " hook pre-tool-use --format claude");
  EXPECT_NE(claude["hooks"]["PreToolUse"][0]["matcher"].get<std::string>().find("Bash"),
            std::string::npos);
  auto codex = nlohmann::json::parse(read_text(project_ / ".codex/hooks.json"));
  EXPECT_EQ(hook_command(codex), binary + " hook pre-tool-use --format codex");
  EXPECT_NE(codex["hooks"]["PreToolUse"][0]["matcher"].get<std::string>().find("apply_patch"),
            std::string::npos);
  auto kimi = read_text(project_ / ".kimi/hooks.toml");
  EXPECT_NE(kimi.find("command = \"" + binary + " hook pre-tool-use --format kimi\""),
            std::string::npos)
      << kimi;
  EXPECT_NE(kimi.find("fail_mode = \"closed\""), std::string::npos);
  EXPECT_NE(kimi.find("event = \"PreToolUse\""), std::string::npos);
}

TEST_F(InitHooks, TheRegisteredCommandBlocksADestructiveCommand) {
  ASSERT_EQ(run_omk({"init"}, project_).exit_code, 0);
  auto claude = nlohmann::json::parse(read_text(project_ / ".claude/settings.json"));
  std::string payload = nlohmann::json{{"session_id", "s"},
                                       {"cwd", project_.string()},
                                       {"hook_event_name", "PreToolUse"},
                                       {"tool_name", "Bash"},
                                       {"tool_input", {{"command", "rm -rf ~"}}}}
                            .dump();
  auto blocked =
      test::run_command({{"/bin/sh", "-c", hook_command(claude)}, project_, std::nullopt, payload});
  EXPECT_EQ(blocked.exit_code, 2) << blocked.out << blocked.err;
  EXPECT_NE(blocked.err.find("rm-home"), std::string::npos) << blocked.err;
}

TEST_F(InitHooks, MergesIntoExistingClaudeSettingsWithoutLosingThem) {
  std::string mine = R"json({
  "model": "opus",
  "permissions": {"allow": ["Bash(npm test:*)"]},
  "hooks": {"Stop": [{"hooks": [{"type": "command", "command": "notify-send done"}]}]}
})json";
  write_text(project_ / ".claude/settings.json", mine);
  auto result = run_omk({"init", "--json"}, project_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto doc = nlohmann::json::parse(result.out);
  bool reported = false;
  for (const auto& file : doc["files"]) {
    if (file["path"] == ".claude/settings.json") {
      EXPECT_EQ(file["action"], "updated");
      EXPECT_EQ(file["backup"], ".claude/settings.json.bak");
      reported = true;
    }
  }
  EXPECT_TRUE(reported);
  EXPECT_EQ(read_text(project_ / ".claude/settings.json.bak"), mine);
  auto merged = nlohmann::json::parse(read_text(project_ / ".claude/settings.json"));
  EXPECT_EQ(merged["model"], "opus");
  EXPECT_EQ(merged["permissions"]["allow"][0], "Bash(npm test:*)");
  EXPECT_EQ(merged["hooks"]["Stop"][0]["hooks"][0]["command"], "notify-send done");
  EXPECT_NE(hook_command(merged).find("hook pre-tool-use --format claude"), std::string::npos);
  // Running init again changes nothing.
  auto again = nlohmann::json::parse(run_omk({"init", "--json"}, project_).out);
  for (const auto& file : again["files"]) {
    if (file["path"] == ".claude/settings.json") {
      EXPECT_EQ(file["action"], "unchanged");
    }
  }
}

TEST_F(InitHooks, KeepsUnreadableSettingsUnlessForced) {
  write_text(project_ / ".codex/hooks.json", "{ broken");
  auto kept = run_omk({"init"}, project_);
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_NE(kept.out.find(".codex/hooks.json"), std::string::npos);
  EXPECT_NE(kept.out.find("--force rewrites it"), std::string::npos) << kept.out;
  EXPECT_EQ(read_text(project_ / ".codex/hooks.json"), "{ broken");
  ASSERT_EQ(run_omk({"init", "--force"}, project_).exit_code, 0);
  EXPECT_EQ(read_text(project_ / ".codex/hooks.json.bak"), "{ broken");
  EXPECT_NO_THROW(nlohmann::json::parse(read_text(project_ / ".codex/hooks.json")));
}

TEST_F(InitHooks, DryRunWritesNoHooks) {
  write_text(project_ / ".claude/settings.json", R"({"model": "opus"})");
  auto result = run_omk({"init", "--dry-run"}, project_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("would update    .claude/settings.json"), std::string::npos)
      << result.out;
  EXPECT_EQ(read_text(project_ / ".claude/settings.json"), R"({"model": "opus"})");
  EXPECT_FALSE(fs::exists(project_ / ".codex"));
  EXPECT_FALSE(fs::exists(project_ / ".kimi/hooks.toml"));
}

}  // namespace
}  // namespace omk
