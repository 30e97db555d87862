// omk mcp list / doctor: the offline summary (promise 8) and visible failures (promise 10).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace omk {
namespace {
namespace fs = std::filesystem;
using test::run_omk;
using test::write_text;

class McpListCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = tmp_.path() / "project";
    home_ = tmp_.path() / "home";
    test::git_init(project_);
    fs::create_directories(home_);
  }
  test::CommandResult omk(const std::vector<std::string>& args,
                          std::map<std::string, std::string> env = {}) {
    env.emplace("HOME", home_.string());
    return run_omk(args, project_, env);
  }
  test::TempDir tmp_;
  fs::path project_;
  fs::path home_;
};

TEST_F(McpListCommand, SummaryIsOfflineNoServerStartsNoSocketOpens) {
  // A stdio server that records any start, and an HTTP server that records any request.
  fs::path marker = tmp_.path() / "started";
  fs::path recorder = tmp_.path() / "record-start.sh";
  write_text(recorder, "#!/bin/sh\ntouch '" + marker.string() + "'\n");
  fs::permissions(recorder, fs::perms::owner_all);
  test::ModelServer http;
  write_text(project_ / ".kimi/mcp.json",
             nlohmann::json{{"mcpServers",
                             {{"recorder", {{"command", recorder.string()}, {"required", true}}},
                              {"remote", {{"url", http.base_url() + "/mcp"}}}}}}
                 .dump());
  write_text(project_ / ".omk/mcp.json", R"({"mcpServers": {"npx-server": {"command": "npx",
             "args": ["-y", "@modelcontextprotocol/server-everything"]}}})");
  for (const auto& args : std::vector<std::vector<std::string>>{{"mcp", "list"},
                                                                {"mcp", "list", "--json"},
                                                                {"mcp", "doctor"},
                                                                {"mcp", "doctor", "--json"},
                                                                {"--help"},
                                                                {},
                                                                {"mcp", "--help"}}) {
    auto result = omk(args);
    EXPECT_LE(result.exit_code, 1) << result.err;
  }
  auto list = omk({"mcp", "list"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("recorder"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find(http.base_url()), std::string::npos) << list.out;
  auto bare = omk({});  // bare omk: its help, then the same offline summary
  EXPECT_EQ(bare.exit_code, 0) << bare.err;
  EXPECT_NE(bare.out.find("Subcommands:"), std::string::npos) << bare.out;
  EXPECT_NE(bare.out.find("recorder"), std::string::npos) << bare.out;
  EXPECT_FALSE(fs::exists(marker)) << "omk started a server";
  EXPECT_TRUE(http.requests().empty()) << http.requests().dump();
}

TEST_F(McpListCommand, JsonValidatesAndShowsEveryServerField) {
  write_text(project_ / ".kimi/mcp.json", R"({"mcpServers": {
      "local": {"command": "/bin/sh", "args": ["-c", "true"], "env": {"LEVEL": "1"},
                "enabledTools": ["a"], "disabledTools": ["b"]},
      "remote": {"url": "https://mcp.example.com/path", "required": true, "enabled": false}}})");
  auto result = omk({"mcp", "list", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(test::schema_errors("omk.mcp-list.v1", result.out), "");
  auto doc = nlohmann::json::parse(result.out);
  EXPECT_EQ(doc["scopes"]["mcp"], "project");
  ASSERT_EQ(doc["servers"].size(), 2u);
  EXPECT_EQ(doc["servers"][0]["target"], "sh");
  EXPECT_EQ(doc["servers"][0]["env_names"][0], "LEVEL");
  EXPECT_EQ(doc["servers"][1]["target"], "https://mcp.example.com");
  EXPECT_EQ(doc["servers"][1]["required"], true);
  EXPECT_EQ(doc["servers"][1]["enabled"], false);
  EXPECT_EQ(doc["started_servers"], 0);
}

TEST_F(McpListCommand, PlantedSecretsNeverAppearInAnyOutput) {
  const std::vector<std::string> secrets = {"ghp_PLANTEDabcdefghijklmnopqrstuvwxyz0123",
                                            "PLANTED-header-value-42", "PLANTED-query-token",
                                            "PLANTEDuser:PLANTEDpass", "PLANTED-arg-secret"};
  write_text(project_ / ".kimi/mcp.json",
             nlohmann::json{
                 {"mcpServers",
                  {{"gh",
                    {{"command", "/bin/true"},
                     {"args", {"--token", secrets[4]}},
                     {"env", {{"GITHUB_TOKEN", secrets[0]}}}}},
                   {"remote",
                    {{"url", "https://" + secrets[3] + "@mcp.example.com/x?token=" + secrets[2]},
                     {"headers", {{"Authorization", "Bearer " + secrets[1]}}}}}}}}
                 .dump());
  write_text(project_ / ".omk/mcp.json",
             "{\"mcpServers\": {\"broken\": {\"env\": {\"K\": \"" + secrets[0] + "\"");
  for (const auto& args : std::vector<std::vector<std::string>>{{"mcp", "list"},
                                                                {"mcp", "list", "--json"},
                                                                {"mcp", "doctor"},
                                                                {"mcp", "doctor", "--json"}}) {
    auto result = omk(args);
    for (const auto& secret : secrets) {
      EXPECT_EQ(result.out.find(secret), std::string::npos) << secret << " in " << result.out;
      EXPECT_EQ(result.err.find(secret), std::string::npos) << secret << " in " << result.err;
    }
  }
}

TEST_F(McpListCommand, BrokenToolPlaneFilesShowUpAsDiagnostics) {
  write_text(project_ / ".kimi/skills/bad/SKILL.md", "---\nname: [broken\n---\n");
  write_text(project_ / ".kimi/skills/locked/SKILL.md", "---\nname: locked\ndescription: x\n---\n");
  ::chmod((project_ / ".kimi/skills/locked/SKILL.md").c_str(), 0);
  write_text(project_ / ".codex/hooks.json", "{\"hooks\": [");
  write_text(
      project_ / ".claude/settings.json",
      R"({"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "/missing/stop-hook"}]}]}})");
  write_text(
      project_ / ".kimi/mcp.json",
      R"({"mcpServers": {"needed": {"command": "no-such-mcp-server-omk", "required": true}}})");
  // Root reads mode-000 files anyway; drop the capabilities that allow it, as a user would lack
  // them.
  std::vector<std::string> prefix;
  if (::geteuid() == 0) {
    prefix = {"/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search",
              "--inh-caps=-all"};
  }
  test::CommandOptions options;
  options.argv = prefix;
  for (const char* arg : {"mcp", "doctor", "--json"}) options.argv.push_back(arg);
  options.argv.insert(options.argv.begin() + static_cast<long>(prefix.size()), test::omk_binary());
  options.cwd = project_;
  options.env =
      std::map<std::string, std::string>{{"HOME", home_.string()}, {"PATH", "/usr/bin:/bin"}};
  auto result = test::run_command(options);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(test::schema_errors("omk.mcp-doctor.v1", result.out), "") << result.out;
  auto doc = nlohmann::json::parse(result.out);
  std::vector<std::string> codes;
  for (const auto& d : doc["diagnostics"]) codes.push_back(d["code"]);
  for (const char* expected :
       {"skill_front_matter_invalid", "skill_unreadable", "hooks_config_invalid_json",
        "hook_command_missing", "mcp_command_not_found", "mcp_required_unavailable"}) {
    EXPECT_NE(std::find(codes.begin(), codes.end(), expected), codes.end())
        << expected << " not in " << doc["diagnostics"].dump();
  }
  EXPECT_EQ(doc["ok"], false);
  // Literal secrets in a config are an error of their own (found by the safety layer's rules).
  write_text(project_ / ".omk/mcp.json", R"({"mcpServers": {"leaky": {"command": "/bin/true",
             "env": {"OPENAI_API_KEY": "sk-proj-PLANTEDabcdefghijklmnopqrstuvwxyz0123456789"}}}})");
  auto leaky = omk({"mcp", "doctor", "--json"});
  EXPECT_NE(leaky.out.find("mcp_secret_in_config"), std::string::npos) << leaky.out;
  EXPECT_EQ(leaky.out.find("PLANTED"), std::string::npos);
  // list shows the same diagnostics and still succeeds: it only reports.
  auto list = omk({"mcp", "list"});
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("hooks_config_invalid_json"), std::string::npos) << list.out;
}

TEST_F(McpListCommand, ScopeNoneReadsNothingAndAllReadsUserFiles) {
  write_text(home_ / ".kimi/mcp.json", R"({"mcpServers": {"mine": {"command": "/bin/true"}}})");
  write_text(project_ / ".kimi/mcp.json", "{not json");
  auto none = omk({"mcp", "list", "--json"}, {{"OMK_MCP_SCOPE", "none"}});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  auto doc = nlohmann::json::parse(none.out);
  EXPECT_TRUE(doc["servers"].empty());
  EXPECT_TRUE(doc["diagnostics"].empty());
  auto project = nlohmann::json::parse(omk({"mcp", "list", "--json"}).out);
  EXPECT_TRUE(project["servers"].empty());
  auto all = nlohmann::json::parse(omk({"mcp", "list", "--json"}, {{"OMK_MCP_SCOPE", "all"}}).out);
  ASSERT_EQ(all["servers"].size(), 1u);
  EXPECT_EQ(all["servers"][0]["scope"], "user");
  EXPECT_EQ(all["servers"][0]["source"], "~/.kimi/mcp.json");
}

TEST_F(McpListCommand, InitRegistersTheOmkProjectServer) {
  auto init = omk({"init"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  auto doc = nlohmann::json::parse(test::read_text(project_ / ".kimi/mcp.json"));
  auto server = doc["mcpServers"]["omk-project"];
  EXPECT_EQ(server["args"], nlohmann::json({"mcp", "serve", "omk-project"}));
  EXPECT_TRUE(fs::path(server["command"].get<std::string>()).is_absolute() ||
              server["command"] == "omk");
  auto list = nlohmann::json::parse(omk({"mcp", "list", "--json"}).out);
  ASSERT_EQ(list["servers"].size(), 1u);
  EXPECT_EQ(list["servers"][0]["name"], "omk-project");
  EXPECT_TRUE(list["diagnostics"].empty()) << list["diagnostics"].dump();
}

}  // namespace
}  // namespace omk

namespace omk {
namespace {

TEST_F(McpListCommand, OmkDoctorShowsToolPlaneDiagnostics) {
  ASSERT_EQ(omk({"init"}).exit_code, 0);
  auto clean = omk({"doctor", "--json"});
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  EXPECT_EQ(test::schema_errors("omk.doctor.v1", clean.out), "") << clean.out;
  write_text(project_ / ".kimi/skills/bad/SKILL.md", "no front matter\n");
  auto broken = omk({"doctor"});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.out.find("skill_front_matter_invalid"), std::string::npos) << broken.out;
  write_text(project_ / ".omk/config.toml", "[runtime]\nexecution = \"sometimes\"\n");
  auto config = omk({"doctor", "--json"});
  EXPECT_EQ(config.exit_code, 1);
  EXPECT_NE(config.out.find("config_invalid"), std::string::npos) << config.out;
}

}  // namespace
}  // namespace omk
