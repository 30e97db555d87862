// Skills, hooks and the inventory that joins them with the MCP servers.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "mcp/inventory.h"
#include "mcp/skills.h"
#include "mcp/summary.h"
#include "test_support.h"

namespace omk::mcp {
namespace {
namespace fs = std::filesystem;

class ToolPlaneTest : public ::testing::Test {
 protected:
  test::TempDir tmp;
  fs::path root() const { return tmp.path() / "p"; }
  Locations locations() const { return {root(), tmp.path() / "home"}; }
  void write(const std::string& relative, const std::string& text) {
    test::write_text(tmp.path() / relative, text);
  }
  InventoryQuery query(ScopeSettings scopes = {}) const {
    InventoryQuery q;
    q.locations = locations();
    q.scopes = scopes;
    q.env = {{"PATH", "/usr/bin:/bin"}};
    return q;
  }
  static std::vector<std::string> codes(const std::vector<Diagnostic>& diagnostics) {
    std::vector<std::string> out;
    for (const auto& d : diagnostics) out.push_back(d.code);
    return out;
  }
};

TEST(SkillFrontMatter, NeedsNameAndDescription) {
  std::string name, description;
  EXPECT_FALSE(
      parse_skill_front_matter("---\nname: a\ndescription: b c\n---\nbody", name, description));
  EXPECT_EQ(name, "a");
  EXPECT_EQ(description, "b c");
  EXPECT_TRUE(parse_skill_front_matter("no front matter", name, description));
  EXPECT_TRUE(parse_skill_front_matter("---\nname: a\n---\n", name, description));
  EXPECT_TRUE(parse_skill_front_matter("---\n- a list\n---\n", name, description));
  auto problem =
      parse_skill_front_matter("---\nname: [unclosed sk-secret\n---\n", name, description);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->find("sk-secret"), std::string::npos) << *problem;
  EXPECT_NE(problem->find("line"), std::string::npos) << *problem;
}

TEST_F(ToolPlaneTest, SkillsAreParsedAndBrokenOnesBecomeDiagnostics) {
  write("p/.kimi/skills/review/SKILL.md", "---\nname: review\ndescription: Review code\n---\n");
  write("p/.kimi/skills/broken/SKILL.md", "---\nname: [oops\n---\n");
  write("p/.kimi/skills/empty/README.md", "no manifest");
  fs::create_directories(root() / ".kimi/skills/dir/SKILL.md");  // unreadable as a file
  write("home/.kimi/skills/mine/SKILL.md", "---\nname: mine\ndescription: user skill\n---\n");
  ToolPlaneInventory inventory = build_inventory(query());
  ASSERT_EQ(inventory.skills.size(), 1u);  // the user's skill is not read in project scope
  EXPECT_EQ(inventory.skills[0].name, "review");
  auto found = codes(inventory.diagnostics);
  EXPECT_EQ(found, (std::vector<std::string>{"skill_front_matter_invalid", "skill_unreadable",
                                             "skill_manifest_missing"}));
  for (const auto& d : inventory.diagnostics) {
    EXPECT_EQ(d.path.rfind(".kimi/skills/", 0), 0u) << d.path;
  }

  ToolPlaneInventory all = build_inventory(query({Scope::kProject, Scope::kAll, Scope::kProject}));
  EXPECT_EQ(all.skills.size(), 2u);
}

TEST_F(ToolPlaneTest, HookFilesAreValidatedAndMissingCommandsReported) {
  write("p/.claude/settings.json", R"({"permissions": {}, "hooks": {"PreToolUse": [
      {"matcher": "Bash", "hooks": [{"type": "command", "command": "/bin/true --x"},
                                    {"type": "command", "command": "\"$CLAUDE_PROJECT_DIR\"/hooks/guard.sh"}]}]}})");
  write("p/.codex/hooks.json", "{\"hooks\": {\"PreToolUse\": [ {\"matcher\": ");
  write("p/.kimi/config.toml",
        "[[hooks]]\nevent = \"PreToolUse\"\nmatcher = \"Shell\"\n"
        "command = \"definitely-not-a-command-omk arg\"\n"
        "[[hooks]]\nevent = \"Stop\"\ncommand = \"sh -c 'exit 0'\"\n"
        "[providers.kimi]\napi_key = \"sk-kimi-secret\"\n");
  ToolPlaneInventory inventory = build_inventory(query());
  EXPECT_EQ(inventory.hooks.size(), 4u);
  auto found = codes(inventory.diagnostics);
  EXPECT_EQ(std::count(found.begin(), found.end(), "hook_command_missing"), 2)
      << ::testing::PrintToString(found);
  EXPECT_EQ(std::count(found.begin(), found.end(), "hooks_config_invalid_json"), 1);
  std::string text = render_offline_summary(inventory);
  EXPECT_EQ(text.find("sk-kimi-secret"), std::string::npos);
  EXPECT_NE(text.find("hooks/guard.sh"), std::string::npos) << text;

  // A script that exists and is executable is fine.
  write("p/hooks/guard.sh", "#!/bin/sh\nexit 0\n");
  fs::permissions(root() / "hooks/guard.sh", fs::perms::owner_all);
  inventory = build_inventory(query());
  found = codes(inventory.diagnostics);
  EXPECT_EQ(std::count(found.begin(), found.end(), "hook_command_missing"), 1);
}

TEST_F(ToolPlaneTest, TheGuardRegistrationForKimiIsValidatedToo) {
  // .kimi/hooks.toml is what `omk init` writes for omk's Kimi adapter: a moved omk binary shows.
  write("p/.kimi/hooks.toml",
        "[[hooks]]\nevent = \"PreToolUse\"\nmatcher = \"Shell\"\n"
        "command = \"'/no/such/omk' hook pre-tool-use --format kimi\"\n");
  ToolPlaneInventory inventory = build_inventory(query());
  ASSERT_EQ(inventory.hooks.size(), 1u);
  auto found = codes(inventory.diagnostics);
  EXPECT_EQ(std::count(found.begin(), found.end(), "hook_command_missing"), 1)
      << ::testing::PrintToString(found);
}

TEST_F(ToolPlaneTest, InvalidTomlIsReportedByPosition) {
  write("p/.kimi/config.toml", "[[hooks]]\nevent = \"Stop\ncommand = \"x\"\n");
  ToolPlaneInventory inventory = build_inventory(query());
  ASSERT_EQ(inventory.diagnostics.size(), 1u);
  EXPECT_EQ(inventory.diagnostics[0].code, "hooks_config_invalid_toml");
  EXPECT_NE(inventory.diagnostics[0].reason.find("line 2"), std::string::npos)
      << inventory.diagnostics[0].reason;
}

TEST_F(ToolPlaneTest, ServersGetOfflineChecksWithoutStartingAnything) {
  write("p/.kimi/mcp.json", R"({"mcpServers": {
      "present": {"command": "sh", "args": ["-c", "touch started"]},
      "absent": {"command": "no-such-server-omk"},
      "relative": {"command": "./bin/server"},
      "refs": {"command": "sh", "env": {"TOKEN": "${MY_TOKEN}", "PLAIN": "1"}},
      "granted": {"command": "sh", "env": {"TOKEN": "${GRANTED_TOKEN}"}}
  }})");
  InventoryQuery q = query();
  q.grants.per_server["granted"] = {"GRANTED_TOKEN"};
  ToolPlaneInventory inventory = build_inventory(q);
  EXPECT_FALSE(fs::exists(root() / "started"));
  EXPECT_EQ(inventory.find_server("present")->resolved_command.value_or(""), "/usr/bin/sh");
  auto found = codes(inventory.diagnostics);
  EXPECT_EQ(found, (std::vector<std::string>{"mcp_command_not_found", "mcp_command_not_found",
                                             "mcp_env_not_granted", "mcp_env_unset"}));
}

TEST_F(ToolPlaneTest, SummaryShowsTargetsButNeverArgsEnvHeadersOrUrlPaths) {
  write("p/.kimi/mcp.json", R"({"mcpServers": {
      "local": {"command": "/usr/bin/env", "args": ["--api-key", "sk-ARGSECRET0123456789"],
                "env": {"API_KEY": "sk-ENVSECRET0123456789"}},
      "remote": {"url": "https://api.example.com:8443/v1/mcp?token=QUERYSECRET#frag",
                 "headers": {"Authorization": "Bearer HEADERSECRET"}, "required": true,
                 "enabledTools": ["search"]}
  }})");
  ToolPlaneInventory inventory = build_inventory(query());
  std::string text = render_offline_summary(inventory) + inventory_json(inventory).dump();
  for (const char* secret :
       {"ARGSECRET", "ENVSECRET", "QUERYSECRET", "HEADERSECRET", "/v1/mcp", "frag"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(text.find("https://api.example.com:8443"), std::string::npos);
  EXPECT_NE(text.find("env"), std::string::npos);
  EXPECT_NE(text.find("only search"), std::string::npos);
  EXPECT_NE(text.find("enabled,required"), std::string::npos);
}

}  // namespace
}  // namespace omk::mcp
