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
