#include <gtest/gtest.h>

#include <algorithm>

#include "safety/secret_runtime.h"
#include "test_support.h"

namespace omk::safety {
namespace {

TEST(SecretRuntime, LiteralMcpSecretsAreReportedReferencesAreNot) {
  test::TempDir tmp;
  test::write_text(tmp.path() / ".kimi/mcp.json", R"({
  "mcpServers": {
    "github": {
      "command": "npx",
      "env": {
        "GITHUB_PERSONAL_ACCESS_TOKEN": "literal-value-123",
        "LOG_LEVEL": "debug",
        "API_KEY": "${API_KEY}"
      }
    },
    "remote": {
      "url": "https://mcp.example.com",
      "headers": {
        "Authorization": "Bearer ${REMOTE_TOKEN}",
        "X-Api-Key": "abcd1234efgh5678"
      }
    },
    "other": {"env": {"SETTING": "sk-ant-api03-Zk8vQm2LpX9rTa4Nw7Ye1Bc5Hd3Jf6Gs0Ku"}}
  }
})");
  test::write_text(
      tmp.path() / ".codex/config.toml",
      "[mcp_servers.docs]\ncommand = \"docs\"\nbearer_token = \"abc123secret\"\n"
      "[mcp_servers.docs.env]\nDOCS_TOKEN = \"$DOCS_TOKEN\"\nDOCS_PASSWORD = \"pw-literal-1\"\n");
  test::write_text(tmp.path() / ".omk/mcp.json", "{broken");
  ScanStats stats;
  std::vector<std::string> warnings;
  auto findings = mcp_literal_secret_findings(tmp.path(), {}, stats, warnings);
  std::vector<std::string> where;
  for (const auto& f : findings) {
    where.push_back(f.path + ":" + std::to_string(f.line));
    EXPECT_EQ(f.rule, "mcp-literal-secret");
    for (const char* value :
         {"literal-value-123", "abcd1234efgh5678", "abc123secret", "pw-literal-1", "Zk8vQm2L"}) {
      EXPECT_EQ(f.excerpt.find(value), std::string::npos) << f.excerpt;
    }
  }
  std::sort(where.begin(), where.end());
  EXPECT_EQ(where, (std::vector<std::string>{".codex/config.toml:3", ".codex/config.toml:6",
                                             ".kimi/mcp.json:15", ".kimi/mcp.json:18",
                                             ".kimi/mcp.json:6"}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find(".omk/mcp.json"), std::string::npos);
  EXPECT_NE(warnings[0].find("not valid JSON"), std::string::npos);
}

TEST(SecretRuntime, TrustBoundaryPaths) {
  test::TempDir tmp;
  test::write_text(tmp.path() / ".omk/config.toml", "");
  test::write_text(tmp.path() / ".mcp.json", "{}");
  auto paths = runtime_scan_paths(tmp.path());
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths[0].filename(), ".omk");
  EXPECT_EQ(paths[1].filename(), ".mcp.json");
}

}  // namespace
}  // namespace omk::safety
