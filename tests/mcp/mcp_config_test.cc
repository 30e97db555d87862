#include "mcp/mcp_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "test_support.h"

namespace omk::mcp {
namespace {
namespace fs = std::filesystem;

class McpConfigTest : public ::testing::Test {
 protected:
  test::TempDir tmp;
  Locations locations() const { return {tmp.path() / "p", tmp.path() / "home"}; }
  void write(const std::string& relative, const std::string& text) {
    test::write_text(tmp.path() / relative, text);
  }
};

TEST_F(McpConfigTest, LaterFileWinsWholeEntry) {
  write("p/.omk/mcp.json",
        R"({"mcpServers": {"a": {"command": "one", "args": ["x"], "required": true},
                           "b": {"url": "https://b.example/mcp"}}})");
  write("p/.kimi/mcp.json", R"({"mcpServers": {"a": {"command": "two"}}})");
  McpConfig config = load_mcp_config(locations(), {});
  ASSERT_EQ(config.servers.size(), 2u);
  const ServerConfig* a = config.find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->command, "two");
  EXPECT_TRUE(a->args.empty());  // no deep merge
  EXPECT_FALSE(a->required);
  EXPECT_EQ(a->source.display, ".kimi/mcp.json");
  EXPECT_EQ(a->defined_in, (std::vector<std::string>{".omk/mcp.json", ".kimi/mcp.json"}));
  EXPECT_EQ(config.find("b")->transport, TransportKind::kHttp);
  EXPECT_TRUE(config.diagnostics.empty());
}

TEST_F(McpConfigTest, AllScopeUserFilesAreOverriddenByProject) {
  write("home/.kimi/mcp.json",
        R"({"mcpServers": {"a": {"command": "user-a"}, "u": {"command": "user-only"}}})");
  write("p/.kimi/mcp.json", R"({"mcpServers": {"a": {"command": "project-a"}}})");
  McpConfig project = load_mcp_config(locations(), {});
  EXPECT_EQ(project.servers.size(), 1u);  // user files are not read in project scope
  McpConfig all = load_mcp_config(locations(), {Scope::kAll, Scope::kProject, Scope::kProject});
  ASSERT_EQ(all.servers.size(), 2u);
  EXPECT_EQ(all.find("a")->command, "project-a");
  EXPECT_EQ(all.find("u")->source.origin, Origin::kUser);
  McpConfig none = load_mcp_config(locations(), {Scope::kNone, Scope::kProject, Scope::kProject});
  EXPECT_TRUE(none.servers.empty());
  EXPECT_TRUE(none.sources.empty());
}

TEST_F(McpConfigTest, InvalidJsonIsADiagnosticWithPositionAndNoContent) {
  write("p/.kimi/mcp.json", "{\"mcpServers\": {\"github\": {\"env\": {\"TOKEN\": \"sk-proj-secret");
  write("p/.omk/mcp.json", R"({"mcpServers": {"ok": {"command": "true"}}})");
  McpConfig config = load_mcp_config(locations(), {});
  ASSERT_EQ(config.diagnostics.size(), 1u);
  const Diagnostic& d = config.diagnostics[0];
  EXPECT_EQ(d.level, Level::kError);
  EXPECT_EQ(d.code, "mcp_config_invalid_json");
  EXPECT_EQ(d.path, ".kimi/mcp.json");
  EXPECT_NE(d.reason.find("line 1"), std::string::npos) << d.reason;
  EXPECT_EQ(d.reason.find("sk-proj"), std::string::npos) << d.reason;
  EXPECT_EQ(d.reason.find("github"), std::string::npos) << d.reason;
  // The other file still counts.
  ASSERT_EQ(config.servers.size(), 1u);
  EXPECT_EQ(config.servers[0].name, "ok");
}

TEST_F(McpConfigTest, UnreadableFileIsADiagnostic) {
  fs::create_directories(tmp.path() / "p/.kimi/mcp.json");  // a directory: unreadable even as root
  McpConfig config = load_mcp_config(locations(), {});
  ASSERT_EQ(config.diagnostics.size(), 1u);
  EXPECT_EQ(config.diagnostics[0].code, "mcp_config_unreadable");
  EXPECT_EQ(config.diagnostics[0].path, ".kimi/mcp.json");
}

TEST_F(McpConfigTest, ShapeProblemsAreNamedByFieldNeverByValue) {
  write("p/.kimi/mcp.json", R"({"mcpServers": {
      "both": {"command": "x", "url": "https://h/mcp"},
      "neither": {"env": {"A": "b"}},
      "sse": {"type": "sse", "url": "https://h/sse"},
      "badargs": {"command": "x", "args": "sk-live-not-an-array"},
      "badurl": {"url": "ftp://secret-host/x"},
      "weird": {"type": "carrier-pigeon", "command": "x"}
  }})");
  McpConfig config = load_mcp_config(locations(), {});
  ASSERT_EQ(config.servers.size(), 6u);
  for (const auto& server : config.servers) {
    EXPECT_EQ(server.transport, TransportKind::kInvalid) << server.name;
  }
  std::string all;
  for (const auto& d : config.diagnostics) {
    EXPECT_EQ(d.code, "mcp_server_invalid");
    all += d.reason + "\n";
  }
  EXPECT_NE(all.find("both \"command\" and \"url\""), std::string::npos) << all;
  EXPECT_NE(all.find("neither \"command\" nor \"url\""), std::string::npos) << all;
  EXPECT_NE(all.find("\"sse\""), std::string::npos) << all;
  EXPECT_NE(all.find("\"args\" must be an array"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown transport"), std::string::npos) << all;
  EXPECT_EQ(all.find("sk-live"), std::string::npos) << all;
  EXPECT_EQ(all.find("secret-host"), std::string::npos) << all;
}

TEST_F(McpConfigTest, ReadsFiltersTimeoutsAndFlags) {
  write("p/.kimi/mcp.json", R"({"mcpServers": {"s": {"command": "x", "enabled": false,
      "required": true, "startupTimeoutMs": 500, "toolTimeoutMs": 900,
      "enabledTools": ["a", "b"], "disabledTools": ["b"], "cwd": "sub"}}})");
  McpConfig config = load_mcp_config(locations(), {});
  const ServerConfig* s = config.find("s");
  ASSERT_NE(s, nullptr);
  EXPECT_FALSE(s->enabled);
  EXPECT_TRUE(s->required);
  EXPECT_EQ(s->startup_timeout_ms, 500);
  EXPECT_EQ(s->tool_timeout_ms, 900);
  EXPECT_TRUE(s->tool_allowed("a"));
  EXPECT_FALSE(s->tool_allowed("b"));
  EXPECT_FALSE(s->tool_allowed("c"));
  EXPECT_EQ(s->cwd.value_or(""), "sub");
}

TEST(EnvReference, OnlyWholeValueReferencesCount) {
  EXPECT_EQ(env_reference("${API_TOKEN}").value_or(""), "API_TOKEN");
  EXPECT_FALSE(env_reference("Bearer ${API_TOKEN}"));
  EXPECT_FALSE(env_reference("${1BAD}"));
  EXPECT_FALSE(env_reference("$API_TOKEN"));
}

}  // namespace
}  // namespace omk::mcp

namespace omk::mcp {
namespace {

TEST(EnvReference, ReferencesInsideValuesExpandOrFail) {
  EXPECT_EQ(env_references("Bearer ${TOKEN} and ${OTHER}"),
            (std::vector<std::string>{"TOKEN", "OTHER"}));
  auto resolve = [](const std::string& name) -> std::optional<std::string> {
    if (name == "TOKEN") return std::string("t0k");
    return std::nullopt;
  };
  EXPECT_EQ(expand_references("Bearer ${TOKEN}", resolve).value_or("?"), "Bearer t0k");
  EXPECT_EQ(expand_references("plain", resolve).value_or("?"), "plain");
  EXPECT_EQ(expand_references("${1X} stays", resolve).value_or("?"), "${1X} stays");
  EXPECT_FALSE(expand_references("${TOKEN}:${OTHER}", resolve));
}

}  // namespace
}  // namespace omk::mcp
