// omk mcp add / remove / import.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace omk {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;
using test::read_text;
using test::write_text;

class McpEditCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = tmp_.path() / "project";
    home_ = tmp_.path() / "home";
    test::git_init(project_);
    fs::create_directories(home_);
  }
  test::CommandResult omk(const std::vector<std::string>& args) {
    return test::run_omk(args, project_, {{"HOME", home_.string()}});
  }
  json project_file() { return json::parse(read_text(project_ / ".kimi/mcp.json")); }
  test::TempDir tmp_;
  fs::path project_;
  fs::path home_;
};

TEST_F(McpEditCommand, AddWritesTheActiveProjectFile) {
  auto added = omk({"mcp", "add", "everything", "--env", "LEVEL=debug", "--", "npx", "-y",
                    "@modelcontextprotocol/server-everything", "stdio"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  auto remote = omk({"mcp", "add", "remote", "--url", "https://mcp.example.com/mcp", "--header",
                     "Authorization: Bearer ${REMOTE_TOKEN}", "--required"});
  ASSERT_EQ(remote.exit_code, 0) << remote.err;
  json file = project_file();
  EXPECT_EQ(file["mcpServers"]["everything"]["args"],
            json({"-y", "@modelcontextprotocol/server-everything", "stdio"}));
  EXPECT_EQ(file["mcpServers"]["everything"]["env"]["LEVEL"], "debug");
  EXPECT_EQ(file["mcpServers"]["remote"]["headers"]["Authorization"], "Bearer ${REMOTE_TOKEN}");
  EXPECT_EQ(file["mcpServers"]["remote"]["required"], true);
  // What was written is what is active.
  auto list = json::parse(omk({"mcp", "list", "--json"}).out);
  EXPECT_EQ(list["servers"].size(), 2u);
}

TEST_F(McpEditCommand, AddRefusesDuplicatesBadInputAndLiteralCredentials) {
  ASSERT_EQ(omk({"mcp", "add", "a", "--", "/bin/true"}).exit_code, 0);
  EXPECT_EQ(omk({"mcp", "add", "a", "--", "/bin/false"}).exit_code, 2);
  EXPECT_EQ(omk({"mcp", "add", "a", "--force", "--", "/bin/false"}).exit_code, 0);
  EXPECT_EQ(project_file()["mcpServers"]["a"]["command"], "/bin/false");
  EXPECT_EQ(omk({"mcp", "add", "b"}).exit_code, 2);
  EXPECT_EQ(omk({"mcp", "add", "b", "--url", "ftp://x/y"}).exit_code, 2);
  EXPECT_EQ(omk({"mcp", "add", "bad/name", "--", "x"}).exit_code, 2);
  auto secret = omk({"mcp", "add", "c", "--url", "https://PLANTEDuser:PLANTEDpw@h.example/mcp"});
  EXPECT_EQ(secret.exit_code, 3);
  EXPECT_EQ(secret.err.find("PLANTED"), std::string::npos) << secret.err;
  EXPECT_NE(secret.err.find("grant"), std::string::npos) << secret.err;
  EXPECT_FALSE(project_file()["mcpServers"].contains("c"));
  // Literal secrets in env and headers are refused, references are fine.
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"mcp", "add", "d", "--env",
            "OPENAI_API_KEY=sk-proj-PLANTEDabcdefghijklmnopqrstuvwxyz0123456789", "--", "x"},
           {"mcp", "add", "d", "--env", "DB_PASSWORD=PLANTEDhunter2", "--", "x"},
           {"mcp", "add", "d", "--url", "https://h.example/mcp", "--header",
            "Authorization: Bearer PLANTEDliteraltoken123"},
           {"mcp", "add", "d", "--url", "https://h.example/mcp?api_key=PLANTEDquerykey"},
           {"mcp", "add", "d", "--", "server", "--api-key", "PLANTEDargkey"}}) {
    auto refused = omk(args);
    EXPECT_EQ(refused.exit_code, 3) << args[3] << " " << args[4];
    EXPECT_EQ(refused.err.find("PLANTED"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("${NAME}"), std::string::npos) << refused.err;
  }
  EXPECT_FALSE(project_file()["mcpServers"].contains("d"));
  EXPECT_EQ(omk({"mcp", "add", "e", "--env", "OPENAI_API_KEY=${OPENAI_API_KEY}", "--env",
                 "LOG_LEVEL=debug", "--", "x"})
                .exit_code,
            0);
}

TEST_F(McpEditCommand, AddNeverOverwritesAMalformedFile) {
  write_text(project_ / ".kimi/mcp.json", "{broken");
  auto result = omk({"mcp", "add", "a", "--", "/bin/true"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(read_text(project_ / ".kimi/mcp.json"), "{broken");
}

TEST_F(McpEditCommand, RemoveDeletesEveryProjectCopy) {
  write_text(
      project_ / ".omk/mcp.json",
      R"({"_comment": "kept", "mcpServers": {"a": {"command": "x"}, "b": {"command": "y"}}})");
  write_text(project_ / ".kimi/mcp.json", R"({"mcpServers": {"a": {"command": "z"}}})");
  auto removed = omk({"mcp", "remove", "a"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  json omk_file = json::parse(read_text(project_ / ".omk/mcp.json"));
  EXPECT_FALSE(omk_file["mcpServers"].contains("a"));
  EXPECT_TRUE(omk_file["mcpServers"].contains("b"));
  EXPECT_EQ(omk_file["_comment"], "kept");
  EXPECT_TRUE(project_file()["mcpServers"].empty());
  EXPECT_EQ(omk({"mcp", "remove", "a"}).exit_code, 2);
}

TEST_F(McpEditCommand, ImportFromCodexClaudeAndKimi) {
  write_text(home_ / ".codex/config.toml",
             "[mcp_servers.docs]\ncommand = \"docs-mcp\"\nenv_vars = [\"DOCS_TOKEN\"]\n");
  write_text(
      project_ / ".mcp.json",
      R"({"mcpServers": {"pw": {"type": "stdio", "command": "npx", "args": ["@playwright/mcp"]}}})");
  write_text(home_ / ".kimi/mcp.json",
             R"({"mcpServers": {"k": {"url": "https://k.example/mcp"}}})");
  for (const char* from : {"codex", "claude", "kimi"}) {
    auto result = omk({"mcp", "import", "--from", from});
    EXPECT_EQ(result.exit_code, 0) << from << ": " << result.err;
  }
  json file = project_file();
  EXPECT_EQ(file["mcpServers"]["docs"]["env"]["DOCS_TOKEN"], "${DOCS_TOKEN}");
  EXPECT_EQ(file["mcpServers"]["pw"]["command"], "npx");
  EXPECT_EQ(file["mcpServers"]["k"]["url"], "https://k.example/mcp");
  // Again: existing names are skipped, not replaced.
  auto again = omk({"mcp", "import", "--from", "kimi"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("skipped \"k\""), std::string::npos) << again.out;
}

TEST_F(McpEditCommand, ImportRefusesLiteralSecretsAndWritesNothing) {
  write_text(home_ / ".kimi/mcp.json",
             R"({"mcpServers": {"ok": {"command": "x"},
                 "leaky": {"url": "https://PLANTEDu:PLANTEDp@h.example/mcp"},
                 "leakier": {"command": "x", "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_PLANTEDabcdefghijklmnopqrstuvwxyz0123"}}}})");
  auto result = omk({"mcp", "import", "--from", "kimi"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.err.find("PLANTED"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("leak"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(project_ / ".kimi/mcp.json"));
}

TEST_F(McpEditCommand, ImportNeedsAReadableSource) {
  auto missing = omk({"mcp", "import", "--from", "codex"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--file"), std::string::npos) << missing.err;
  EXPECT_EQ(omk({"mcp", "import", "--from", "cursor"}).exit_code, 2);
}

}  // namespace
}  // namespace omk
