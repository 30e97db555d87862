// omk mcp check / connect / test / serve: the explicit, active commands.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "mcp_peers.h"
#include "test_support.h"

namespace omk {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;
using test::write_text;

class McpActiveCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = tmp_.path() / "project";
    home_ = tmp_.path() / "home";
    test::git_init(project_);
    fs::create_directories(home_);
    // The peers live in this repository, outside the project: the read-only sandbox of a stdio
    // server must be told it may read them.
    write_text(project_ / ".omk/config.toml",
               "[sandbox]\nreadable_roots = [\"" + test::peers_dir().string() + "\", \"" +
                   (fs::path(OMK_TEST_SOURCE_DIR) / "tests/mcp").string() + "\"]\n");
  }
  void servers(const json& entries) {
    write_text(project_ / ".kimi/mcp.json", json{{"mcpServers", entries}}.dump());
  }
  test::CommandResult omk(const std::vector<std::string>& args,
                          std::map<std::string, std::string> env = {}) {
    env.emplace("HOME", home_.string());
    return test::run_omk(args, project_, env);
  }
  static json everything() {
    return {{"command", test::peer_bin("mcp-server-everything").string()}, {"args", {"stdio"}}};
  }
  static json fault(const std::string& mode) {
    return {
        {"command", "/usr/bin/python3"},
        {"args", {(fs::path(OMK_TEST_SOURCE_DIR) / "tests/mcp/fault_server.py").string(), mode}},
        {"startupTimeoutMs", 2000}};
  }
  test::TempDir tmp_;
  fs::path project_;
  fs::path home_;
};

TEST_F(McpActiveCommand, CheckAllReportsEachServerWithEraToolsAndCategory) {
  json disabled = everything();
  disabled["enabled"] = false;
  json filtered = everything();
  filtered["disabledTools"] = {"echo"};
  servers({{"everything", everything()},
           {"filtered", filtered},
           {"missing", {{"command", "no-such-mcp-server-omk"}}},
           {"garbage", fault("garbage")},
           {"off", disabled}});
  auto result = omk({"mcp", "check", "--all", "--json"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(test::schema_errors("omk.mcp-check.v1", result.out), "") << result.out;
  json doc = json::parse(result.out);
  std::map<std::string, json> by_name;
  for (const auto& s : doc["servers"]) by_name[s["name"]] = s;
  EXPECT_EQ(by_name["everything"]["status"], "ok");
  EXPECT_EQ(by_name["everything"]["era"], "legacy");
  EXPECT_GT(by_name["everything"]["tool_count"].get<int>(), 5);
  EXPECT_EQ(by_name["filtered"]["hidden_tools"], 1);
  EXPECT_EQ(by_name["missing"]["category"], "command-not-found");
  EXPECT_EQ(by_name["garbage"]["category"], "protocol-error");
  EXPECT_EQ(by_name["off"]["status"], "skipped");
  EXPECT_EQ(doc["summary"]["failed"], 2);

  auto text = omk({"mcp", "connect", "--all"});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("command-not-found"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("LATENCY"), std::string::npos);
  EXPECT_EQ(omk({"mcp", "check"}).exit_code, 2);
}

TEST_F(McpActiveCommand, ARequiredServerThatFailsBlocksWithExit3) {
  json required = fault("exit");
  required["required"] = true;
  servers({{"everything", everything()}, {"needed", required}});
  auto result = omk({"mcp", "check", "--all"});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("\"needed\""), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("crashed"), std::string::npos) << result.err;
  auto json_result = omk({"mcp", "check", "--all", "--json"});
  EXPECT_EQ(json_result.exit_code, 3);
  EXPECT_EQ(json::parse(json_result.out)["summary"]["required_failed"], 1);
  // Only the healthy one: fine.
  EXPECT_EQ(omk({"mcp", "check", "everything"}).exit_code, 0);
}

TEST_F(McpActiveCommand, TestShowsToolsAndCallsOne) {
  servers({{"everything", everything()}});
  auto result = omk({"mcp", "test", "everything", "--tool", "echo", "--args",
                     R"({"message": "hello"})", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(test::schema_errors("omk.mcp-test.v1", result.out), "") << result.out;
  json doc = json::parse(result.out);
  EXPECT_EQ(doc["ok"], true);
  EXPECT_EQ(doc["era"], "legacy");
  EXPECT_EQ(doc["call"]["content"][0]["text"], "Echo: hello");
  auto text = omk({"mcp", "test", "everything"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("echo"), std::string::npos);
  EXPECT_EQ(omk({"mcp", "test", "nope"}).exit_code, 2);
  EXPECT_EQ(omk({"mcp", "test", "everything", "--tool", "echo", "--args", "[1"}).exit_code, 2);
  auto failed = omk({"mcp", "test", "everything", "--json", "--tool", "no-such-tool"});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_EQ(test::schema_errors("omk.mcp-test.v1", failed.out), "") << failed.out;
}

TEST_F(McpActiveCommand, ActiveOutputsNeverShowPlantedSecrets) {
  httplib::Server http;
  http.Post("/mcp",
            [](const httplib::Request&, httplib::Response& response) { response.status = 401; });
  int port = http.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { http.listen_after_bind(); });
  std::string base = "http://127.0.0.1:" + std::to_string(port);
  servers(
      {{"remote",
        {{"url", base + "/mcp?token=PLANTED-QUERY-TOKEN"},
         {"headers",
          {{"Authorization", "Bearer ${REMOTE_TOKEN}"}, {"X-Key", "PLANTED-HEADER-VALUE"}}}}},
       {"local", {{"command", "no-such-cmd-omk"}, {"env", {{"API_KEY", "PLANTED-ENV-VALUE"}}}}}});
  write_text(project_ / ".omk/config.toml", "[mcp.remote]\ngrant = [\"REMOTE_TOKEN\"]\n");
  std::map<std::string, std::string> env = {{"REMOTE_TOKEN", "PLANTED-GRANTED-TOKEN"}};
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"mcp", "check", "--all"},
                                             {"mcp", "check", "--all", "--json"},
                                             {"mcp", "test", "remote"},
                                             {"mcp", "test", "remote", "--json"},
                                             {"mcp", "test", "local", "--json"}}) {
    auto result = omk(args, env);
    EXPECT_EQ(result.exit_code, 1) << result.err;
    for (const char* secret : {"PLANTED-QUERY-TOKEN", "PLANTED-HEADER-VALUE", "PLANTED-ENV-VALUE",
                               "PLANTED-GRANTED-TOKEN"}) {
      EXPECT_EQ(result.out.find(secret), std::string::npos) << secret << " in " << result.out;
      EXPECT_EQ(result.err.find(secret), std::string::npos) << secret << " in " << result.err;
    }
  }
  auto remote = json::parse(omk({"mcp", "test", "remote", "--json"}, env).out);
  EXPECT_EQ(remote["category"], "auth-required");
  http.stop();
  thread.join();
}

TEST_F(McpActiveCommand, ServeStdioAnswersBothEras) {
  write_text(project_ / "notes.txt", "project notes\n");
  std::string input =
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})"
      "\n"
      R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
      "\n"
      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"notes.txt"}}})"
      "\n"
      R"({"jsonrpc":"2.0","id":3,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}})"
      "\n"
      "garbage\n";
  test::CommandOptions options;
  options.argv = {test::omk_binary(), "mcp", "serve", "omk-project"};
  options.cwd = project_;
  options.stdin_data = input;
  auto result = test::run_command(options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<json> replies;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) replies.push_back(json::parse(line));
  ASSERT_EQ(replies.size(), 4u) << result.out;
  EXPECT_EQ(replies[0]["result"]["serverInfo"]["name"], "omk-project");
  EXPECT_EQ(replies[1]["result"]["content"][0]["text"], "project notes\n");
  EXPECT_EQ(replies[2]["result"]["tools"].size(), 6u);
  EXPECT_EQ(replies[3]["error"]["code"], -32700);
  EXPECT_EQ(omk({"mcp", "serve", "other"}).exit_code, 2);
}

TEST_F(McpActiveCommand, ServeHttpBindsLoopbackAndValidatesOriginAndSessions) {
  test::BackgroundProcess server({test::omk_binary(), "mcp", "serve", "omk-project", "--http", "0"},
                                 {}, project_);
  std::string banner = server.wait_for_stderr("/mcp");
  auto at = banner.find("http://127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << banner;
  int port = std::stoi(banner.substr(at + 17));
  httplib::Client client("127.0.0.1", port);
  std::string init =
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})";
  httplib::Headers evil_origin = {{"Origin", "https://evil.example"}};
  EXPECT_EQ(client.Post("/mcp", evil_origin, init, "application/json")->status, 403);
  httplib::Headers evil_host = {{"Host", "evil.example:80"}};
  EXPECT_EQ(client.Post("/mcp", evil_host, init, "application/json")->status, 403);
  httplib::Headers local_origin = {{"Origin", "http://localhost:" + std::to_string(port)}};
  auto ok = client.Post("/mcp", local_origin, init, "application/json");
  ASSERT_EQ(ok->status, 200);
  std::string session = ok->get_header_value("Mcp-Session-Id");
  EXPECT_EQ(session.size(), 32u);
  std::string list = R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})";
  EXPECT_EQ(client.Post("/mcp", list, "application/json")->status, 400);  // no session
  EXPECT_EQ(
      client.Post("/mcp", httplib::Headers{{"Mcp-Session-Id", "0123"}}, list, "application/json")
          ->status,
      404);
  httplib::Headers with_session = {{"Mcp-Session-Id", session},
                                   {"MCP-Protocol-Version", "2025-06-18"}};
  auto listed = client.Post("/mcp", with_session, list, "application/json");
  ASSERT_EQ(listed->status, 200);
  EXPECT_EQ(json::parse(listed->body)["result"]["tools"].size(), 6u);
  EXPECT_EQ(
      client
          .Post("/mcp", with_session, R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
                "application/json")
          ->status,
      202);
  EXPECT_EQ(client.Get("/mcp")->status, 405);
  EXPECT_EQ(client.Delete("/mcp", with_session)->status, 200);
  EXPECT_EQ(client.Post("/mcp", with_session, list, "application/json")->status, 404);
  // Modern requests need no session; a header that contradicts the body is refused.
  std::string modern =
      R"({"jsonrpc":"2.0","id":5,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}})";
  httplib::Headers modern_headers = {{"MCP-Protocol-Version", "2026-07-28"},
                                     {"Mcp-Method", "tools/list"}};
  EXPECT_EQ(client.Post("/mcp", modern_headers, modern, "application/json")->status, 200);
  httplib::Headers mismatch = {{"MCP-Protocol-Version", "2026-07-28"},
                               {"Mcp-Method", "tools/call"}};
  auto refused = client.Post("/mcp", mismatch, modern, "application/json");
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(json::parse(refused->body)["error"]["code"], -32020);
}

}  // namespace
}  // namespace omk
