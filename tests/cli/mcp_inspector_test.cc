// The official MCP Inspector (2.x, --cli; pinned in tests/peers) lists and calls omk-project's
// tools, over stdio and over Streamable HTTP.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mcp_peers.h"
#include "test_support.h"

namespace omk {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

class McpInspector : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = tmp_.path() / "project";
    test::git_init(project_);
    test::write_text(project_ / "notes.txt", "inspected notes\n");
    fs::create_directories(tmp_.path() / "home");
  }
  test::CommandResult inspector(std::vector<std::string> args) {
    test::CommandOptions options;
    options.argv = {(test::node22_dir() / "node").string(),
                    test::peer_bin("mcp-inspector").string(), "--cli"};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.cwd = project_;
    // The inspector keeps a catalog under HOME: give it a scratch one.
    options.env = std::map<std::string, std::string>{
        {"HOME", (tmp_.path() / "home").string()},
        {"PATH", test::node22_dir().string() + ":/usr/bin:/bin"}};
    return test::run_command(options);
  }
  test::TempDir tmp_;
  fs::path project_;
};

TEST_F(McpInspector, ListsAndCallsToolsOverStdio) {
  auto listed =
      inspector({test::omk_binary(), "mcp", "serve", "omk-project", "--method", "tools/list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  json tools = json::parse(listed.out)["tools"];
  EXPECT_EQ(tools.size(), 6u);
  auto called =
      inspector({test::omk_binary(), "mcp", "serve", "omk-project", "--method", "tools/call",
                 "--tool-name", "read_file", "--tool-arg", "path=notes.txt"});
  ASSERT_EQ(called.exit_code, 0) << called.err;
  json result = json::parse(called.out);
  EXPECT_EQ(result["content"][0]["text"], "inspected notes\n");
  EXPECT_EQ(result["isError"], false);
  auto refused = inspector({test::omk_binary(), "mcp", "serve", "omk-project", "--method",
                            "tools/call", "--tool-name", "read_file", "--tool-arg", "path=../x"});
  EXPECT_NE(refused.out.find("\"isError\": true"), std::string::npos) << refused.out << refused.err;
}

TEST_F(McpInspector, ListsToolsOverStreamableHttp) {
  test::BackgroundProcess server({test::omk_binary(), "mcp", "serve", "omk-project", "--http", "0"},
                                 {}, project_);
  std::string banner = server.wait_for_stderr("/mcp");
  auto at = banner.find("http://127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << banner;
  std::string url = banner.substr(at, banner.find("/mcp", at) + 4 - at);
  auto listed = inspector({url, "--transport", "http", "--method", "tools/list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(json::parse(listed.out)["tools"].size(), 6u);
  auto resources = inspector({url, "--transport", "http", "--method", "resources/list"});
  ASSERT_EQ(resources.exit_code, 0) << resources.err;
  EXPECT_EQ(json::parse(resources.out)["resources"].size(), 2u);
}

}  // namespace
}  // namespace omk
