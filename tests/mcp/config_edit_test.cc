#include "mcp/config_edit.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "mcp/importers.h"
#include "test_support.h"

namespace omk::mcp {
namespace {
namespace fs = std::filesystem;

TEST(McpDocument, KeepsUnknownKeysAndOrder) {
  test::TempDir tmp;
  fs::path file = tmp.path() / ".kimi/mcp.json";
  test::write_text(
      file,
      R"({"_comment": "keep me", "mcpServers": {"z": {"command": "z", "x-extra": 1}}, "other": true})");
  auto document = McpDocument::open(file, ".kimi/mcp.json");
  document.set_server("a", server_entry({"cmd", {"--flag"}, "", {}, {}, std::nullopt, true}));
  document.save();
  Json saved = Json::parse(test::read_text(file));
  EXPECT_EQ(saved["_comment"], "keep me");
  EXPECT_EQ(saved["other"], true);
  EXPECT_EQ(saved["mcpServers"]["z"]["x-extra"], 1);
  EXPECT_EQ(saved["mcpServers"].begin().key(), "z");
  EXPECT_EQ(saved["mcpServers"]["a"]["required"], true);
  EXPECT_TRUE(document.remove_server("z"));
  EXPECT_FALSE(document.remove_server("z"));
}

TEST(McpDocument, RefusesToRewriteAMalformedFile) {
  test::TempDir tmp;
  fs::path file = tmp.path() / "mcp.json";
  std::string broken = "{\"mcpServers\": {\"a\": {\"env\": {\"K\": \"sk-secret";
  test::write_text(file, broken);
  try {
    McpDocument::open(file, "mcp.json");
    FAIL() << "opened a malformed file";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ExitCode::kUsage);
    EXPECT_EQ(std::string(error.what()).find("sk-secret"), std::string::npos);
  }
  EXPECT_EQ(test::read_text(file), broken);
}

TEST(McpDocument, CreatesAMissingFile) {
  test::TempDir tmp;
  fs::path file = tmp.path() / "new/.kimi/mcp.json";
  auto document = McpDocument::open(file, ".kimi/mcp.json");
  document.set_server("s", omk_project_entry("omk"));
  document.save();
  EXPECT_EQ(Json::parse(test::read_text(file))["mcpServers"]["s"]["args"][2], "omk-project");
}

TEST(Importers, CodexTomlConvertsEveryField) {
  test::TempDir tmp;
  test::write_text(tmp.path() / "config.toml", R"(
model = "gpt-5"
[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-server"]
env = { LOG_LEVEL = "info" }
env_vars = ["DOCS_TOKEN"]
startup_timeout_sec = 12.5
tool_timeout_sec = 30
enabled_tools = ["search"]

[mcp_servers.remote]
url = "https://mcp.example.com/mcp"
bearer_token_env_var = "REMOTE_TOKEN"
env_http_headers = { "X-Team" = "TEAM_ID" }
required = true

[mcp_servers.broken]
command = "x"
url = "https://both.example"
)");
  Locations locations{tmp.path(), std::nullopt};
  ImportPlan plan =
      read_import(ImportSource::kCodex, tmp.path() / "config.toml", "config.toml", locations);
  ASSERT_EQ(plan.servers.size(), 2u);
  const Json& docs = plan.servers[0].entry;
  EXPECT_EQ(plan.servers[0].name, "docs");
  EXPECT_EQ(docs["args"][1], "docs-server");
  EXPECT_EQ(docs["env"]["LOG_LEVEL"], "info");
  EXPECT_EQ(docs["env"]["DOCS_TOKEN"], "${DOCS_TOKEN}");
  EXPECT_EQ(docs["startupTimeoutMs"], 12500);
  EXPECT_EQ(docs["toolTimeoutMs"], 30000);
  EXPECT_EQ(docs["enabledTools"][0], "search");
  const Json& remote = plan.servers[1].entry;
  EXPECT_EQ(remote["bearerTokenEnvVar"], "REMOTE_TOKEN");
  EXPECT_EQ(remote["headers"]["X-Team"], "${TEAM_ID}");
  EXPECT_EQ(remote["required"], true);
  ASSERT_EQ(plan.skipped.size(), 1u);
  EXPECT_EQ(plan.skipped[0].name, "broken");
}

TEST(Importers, ClaudeReadsProjectAndPerProjectServers) {
  test::TempDir tmp;
  fs::path root = tmp.path() / "proj";
  test::write_text(tmp.path() / "claude.json",
                   Json{{"mcpServers", {{"global", {{"type", "stdio"}, {"command", "g"}}}}},
                        {"projects",
                         {{root.string(),
                           {{"mcpServers",
                             {{"local", {{"type", "http"}, {"url", "https://l.example/mcp"}}},
                              {"old", {{"type", "sse"}, {"url", "https://o.example/sse"}}}}}}}}}}
                       .dump());
  ImportPlan plan = read_import(ImportSource::kClaude, tmp.path() / "claude.json", "claude.json",
                                {root, std::nullopt});
  ASSERT_EQ(plan.servers.size(), 2u);
  EXPECT_EQ(plan.servers[0].name, "global");
  EXPECT_FALSE(plan.servers[0].entry.contains("type"));
  EXPECT_EQ(plan.servers[1].entry["url"], "https://l.example/mcp");
  ASSERT_EQ(plan.skipped.size(), 1u);
  EXPECT_EQ(plan.skipped[0].name, "old");
}

TEST(Importers, MalformedInputIsAUsageErrorWithoutContent) {
  test::TempDir tmp;
  test::write_text(tmp.path() / "mcp.json", "{\"mcpServers\": {\"k\": \"sk-leak");
  try {
    read_import(ImportSource::kKimi, tmp.path() / "mcp.json", "mcp.json", {tmp.path(), {}});
    FAIL();
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ExitCode::kUsage);
    EXPECT_EQ(std::string(error.what()).find("sk-leak"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace omk::mcp

#include "mcp/secret_checks.h"

namespace omk::mcp {
namespace {

TEST(LiteralSecrets, ReferencesPassLiteralsAreFoundByPlace) {
  Json clean = {{"command", "x"},
                {"args", {"--port", "3000", "--token", "${TOKEN}"}},
                {"env", {{"API_KEY", "${API_KEY}"}, {"LOG_LEVEL", "debug"}}},
                {"headers", {{"Authorization", "Bearer ${TOKEN}"}}}};
  EXPECT_TRUE(literal_secrets("s", clean).empty());
  Json leaky = {{"command", "x"},
                {"args", {"--api-key", "PLANTEDliteral", "--token=PLANTEDtoo"}},
                {"env", {{"OPENAI_API_KEY", "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD"}}},
                {"headers", {{"X-Api-Key", "PLANTEDheader"}}},
                {"url", "https://user:pw@h.example/mcp?token=PLANTEDq"}};
  std::vector<std::string> where;
  for (const auto& finding : literal_secrets("s", leaky)) where.push_back(finding.where);
  for (const char* expected : {"env OPENAI_API_KEY", "header X-Api-Key", "url credentials",
                               "url query token", "args[1]", "args[2]"}) {
    EXPECT_NE(std::find(where.begin(), where.end(), expected), where.end())
        << expected << " in " << ::testing::PrintToString(where);
  }
}

}  // namespace
}  // namespace omk::mcp
