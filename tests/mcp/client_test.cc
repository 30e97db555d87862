// The MCP client against real peers (npm reference servers, omk's own server) and against
// servers that misbehave on purpose. Every failure must come back categorised, never as a hang.
#include "mcp/client.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "mcp/failure.h"
#include "mcp/server_launch.h"
#include "mcp_peers.h"
#include "test_support.h"

namespace omk::mcp {
namespace {
namespace fs = std::filesystem;

fs::path fault_server() {
  return fs::path(OMK_TEST_SOURCE_DIR) / "tests/mcp/fault_server.py";
}

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path() / "project";
    fs::create_directories(root_);
    test::write_text(root_ / "hello.txt", "hello from the project\n");
    context_.locations = {root_, tmp_.path() / "home"};
    context_.parent_env = current_environment();
    context_.readable_roots = {test::peers_dir(), fault_server().parent_path()};
  }

  ServerConfig stdio(const std::string& name, std::vector<std::string> argv) {
    ServerConfig server;
    server.name = name;
    server.transport = TransportKind::kStdio;
    server.command = argv.front();
    server.args.assign(argv.begin() + 1, argv.end());
    return server;
  }

  ServerConfig http(const std::string& url) {
    ServerConfig server;
    server.name = "remote";
    server.transport = TransportKind::kHttp;
    server.url = url;
    return server;
  }

  std::unique_ptr<McpClient> client(const ServerConfig& server, int64_t startup_ms = 20000,
                                    int64_t request_ms = 20000) {
    ClientOptions options;
    options.startup_timeout_ms = startup_ms;
    options.request_timeout_ms = request_ms;
    options.probe_timeout_ms = startup_ms / 2;
    notes_.clear();
    return std::make_unique<McpClient>(transport_factory(server, context_, notes_), options);
  }

  FailureCategory failure_of(const ServerConfig& server, int64_t startup_ms = 3000) {
    try {
      auto c = client(server, startup_ms, startup_ms);
      c->connect();
      c->list_tools();
      c->call_tool("env", Json::object());
    } catch (const McpError& error) {
      return error.category();
    }
    ADD_FAILURE() << server.name << " did not fail";
    return FailureCategory::kCancelled;
  }

  test::TempDir tmp_;
  fs::path root_;
  LaunchContext context_;
  std::vector<std::string> notes_;
};

std::string text_of(const Json& result) {
  std::string text;
  for (const auto& item : result["content"]) text += item.value("text", "");
  return text;
}

TEST_F(ClientTest, NpmInstalledServerNeedsNoExtraReadableRoots) {
  // node_modules/.bin/x is a symlink into its package; the sandbox must let the symlink, the
  // script and the dependencies it imports be read without [sandbox] readable_roots.
  context_.readable_roots = {};
  auto c = client(stdio("everything", {test::peer_bin("mcp-server-everything").string(), "stdio"}));
  c->connect();
  EXPECT_FALSE(c->list_tools().empty());
  c->close();
}

TEST_F(ClientTest, StdioServerEverything) {
  auto c = client(stdio("everything", {test::peer_bin("mcp-server-everything").string(), "stdio"}));
  const ServerIdentity& identity = c->connect();
  EXPECT_EQ(identity.era, Era::kLegacy);  // no server/discover: the probe fell back
  EXPECT_FALSE(identity.name.empty());
  EXPECT_FALSE(identity.protocol_version.empty());
  auto tools = c->list_tools();
  bool has_echo =
      std::any_of(tools.begin(), tools.end(), [](const Json& t) { return t["name"] == "echo"; });
  EXPECT_TRUE(has_echo);
  EXPECT_EQ(text_of(c->call_tool("echo", {{"message", "hi"}})), "Echo: hi");
  auto resources = c->list_resources();
  ASSERT_FALSE(resources.empty());
  Json read = c->read_resource(resources.front()["uri"]);
  EXPECT_FALSE(read["contents"].empty());
  EXPECT_FALSE(c->list_prompts().empty());
  c->ping();
  c->close();
}

TEST_F(ClientTest, StdioServerFilesystemReadsTheProject) {
  auto c = client(stdio("fs", {test::peer_bin("mcp-server-filesystem").string(), root_.string()}));
  c->connect();
  auto tools = c->list_tools();
  EXPECT_GT(tools.size(), 5u);
  Json listing = c->call_tool("list_directory", {{"path", root_.string()}});
  EXPECT_NE(text_of(listing).find("hello.txt"), std::string::npos) << listing.dump();
  Json file = c->call_tool("read_text_file", {{"path", (root_ / "hello.txt").string()}});
  EXPECT_NE(text_of(file).find("hello from the project"), std::string::npos) << file.dump();
}

TEST_F(ClientTest, StreamableHttpServerEverything) {
  int port = test::free_port();
  test::BackgroundProcess server(
      {test::peer_bin("mcp-server-everything").string(), "streamableHttp"},
      {{"PORT", std::to_string(port)}}, root_);
  ASSERT_TRUE(server.wait_for_port(port));
  auto c = client(http("http://127.0.0.1:" + std::to_string(port) + "/mcp"));
  const ServerIdentity& identity = c->connect();
  EXPECT_EQ(identity.era, Era::kLegacy);
  EXPECT_EQ(text_of(c->call_tool("echo", {{"message", "over http"}})), "Echo: over http");
  auto resources = c->list_resources();
  ASSERT_FALSE(resources.empty());
  EXPECT_FALSE(c->read_resource(resources.front()["uri"])["contents"].empty());
  // A long-running tool streams progress over SSE before its result.
  Json long_run = c->call_tool("trigger-long-running-operation", {{"duration", 1}, {"steps", 2}});
  EXPECT_FALSE(long_run["content"].empty());
  c->close();
}

TEST_F(ClientTest, ModernEraAgainstOmkProjectOnStdioAndHttp) {
  ServerConfig server = stdio("omk-project", {test::omk_binary(), "mcp", "serve", "omk-project"});
  // Generous: in the sandbox's empty HOME the server compiles its rules before it answers, which
  // takes seconds on a loaded machine, and a probe timeout would make it look legacy.
  auto c = client(server, 60000);
  const ServerIdentity& identity = c->connect();
  EXPECT_EQ(identity.era, Era::kModern);
  EXPECT_EQ(identity.protocol_version, "2026-07-28");
  EXPECT_EQ(identity.name, "omk-project");
  Json read = c->call_tool("read_file", {{"path", "hello.txt"}});
  EXPECT_EQ(text_of(read), "hello from the project\n");
  c->ping();
  c->close();

  test::BackgroundProcess http_server(
      {test::omk_binary(), "mcp", "serve", "omk-project", "--http", "0"}, {}, root_);
  std::string banner = http_server.wait_for_stderr("/mcp");
  auto at = banner.find("127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << banner;
  std::string url = "http://" + banner.substr(at, banner.find("/mcp", at) - at) + "/mcp";
  auto h = client(http(url));
  EXPECT_EQ(h->connect().era, Era::kModern);
  EXPECT_EQ(text_of(h->call_tool("read_file", {{"path", "hello.txt"}})),
            "hello from the project\n");
  h->close();
}

TEST_F(ClientTest, StdioFaultsAreCategorised) {
  auto fault = [&](const std::string& mode) {
    return stdio(mode, {"/usr/bin/python3", fault_server().string(), mode});
  };
  EXPECT_EQ(failure_of(stdio("missing", {"definitely-missing-mcp-server"})),
            FailureCategory::kCommandNotFound);
  EXPECT_EQ(failure_of(fault("exit")), FailureCategory::kCrashed);
  EXPECT_EQ(failure_of(fault("garbage")), FailureCategory::kProtocolError);
  EXPECT_EQ(failure_of(fault("silent"), 1500), FailureCategory::kTimeout);
  EXPECT_EQ(failure_of(fault("wrong-id")), FailureCategory::kProtocolError);
  EXPECT_EQ(failure_of(fault("huge"), 20000), FailureCategory::kProtocolError);
  EXPECT_EQ(failure_of(fault("crash")), FailureCategory::kCrashed);
}

TEST_F(ClientTest, SlowToolTimesOutAndChattyStderrDoesNotBlock) {
  auto c = client(stdio("stderr", {"/usr/bin/python3", fault_server().string(), "stderr"}));
  EXPECT_EQ(c->connect().protocol_version, "2024-11-05");  // an old server is still accepted
  EXPECT_EQ(c->list_tools().size(), 2u);
  try {
    c->call_tool("slow", Json::object(), 500);
    FAIL() << "no timeout";
  } catch (const McpError& error) {
    EXPECT_EQ(error.category(), FailureCategory::kTimeout);
  }
}

TEST_F(ClientTest, StdioServerGetsOnlyItsOwnEnvAndGrantedReferences) {
  context_.parent_env["AMBIENT_SECRET_TOKEN"] = "ambient-leak-value";
  context_.parent_env["API_TOKEN"] = "explicitly-granted-value";
  context_.parent_env["OTHER_TOKEN"] = "not-granted-value";
  context_.grants.per_server["envcheck"] = {"API_TOKEN"};
  ServerConfig server = stdio("envcheck", {"/usr/bin/python3", fault_server().string(), "env"});
  server.env = {
      {"API_TOKEN", "${API_TOKEN}"}, {"PLAIN", "literal"}, {"UNGRANTED", "${OTHER_TOKEN}"}};
  auto c = client(server);
  c->connect();
  Json env = Json::parse(text_of(c->call_tool("env", Json::object())));
  EXPECT_EQ(env.value("API_TOKEN", ""), "explicitly-granted-value");
  EXPECT_EQ(env.value("PLAIN", ""), "literal");
  EXPECT_FALSE(env.contains("UNGRANTED"));
  EXPECT_FALSE(env.contains("AMBIENT_SECRET_TOKEN"));
  EXPECT_FALSE(env.contains("OTHER_TOKEN"));
  EXPECT_NE(env.value("HOME", ""), context_.parent_env["HOME"]);  // a private HOME
  ASSERT_EQ(notes_.size(), 1u);
  EXPECT_NE(notes_[0].find("UNGRANTED"), std::string::npos);
  EXPECT_EQ(notes_[0].find("not-granted-value"), std::string::npos);
}

// An HTTP server that answers every POST with one canned status/body, recording the requests.
class CannedHttp {
 public:
  CannedHttp(int status, std::string body, std::string type = "application/json") {
    server_.Post("/mcp", [this, status, body, type](const httplib::Request& request,
                                                    httplib::Response& response) {
      {
        std::lock_guard lock(mutex_);
        authorization_ = request.get_header_value("Authorization");
        accept_ = request.get_header_value("Accept");
        ++requests_;
      }
      response.status = status;
      if (status == 302) response.set_header("Location", "http://127.0.0.1:1/elsewhere");
      response.set_content(body, type.c_str());
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~CannedHttp() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/mcp"; }
  int requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::string authorization() {
    std::lock_guard lock(mutex_);
    return authorization_;
  }
  std::string accept() {
    std::lock_guard lock(mutex_);
    return accept_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  int requests_ = 0;
  std::string authorization_;
  std::string accept_;
};

TEST_F(ClientTest, HttpFaultsAreCategorised) {
  {
    CannedHttp server(401, R"({"error":"unauthorized"})");
    ServerConfig remote = http(server.url());
    remote.bearer_token_env_var = "REMOTE_TOKEN";
    context_.parent_env["REMOTE_TOKEN"] = "granted-bearer-value";
    context_.grants.per_server["remote"] = {"REMOTE_TOKEN"};
    EXPECT_EQ(failure_of(remote), FailureCategory::kAuthRequired);
    EXPECT_EQ(server.authorization(), "Bearer granted-bearer-value");
    EXPECT_EQ(server.accept(), "application/json, text/event-stream");
  }
  {
    CannedHttp server(404, "not here", "text/plain");
    EXPECT_EQ(failure_of(http(server.url())), FailureCategory::kHttpError);
  }
  {
    CannedHttp server(500, "boom", "text/plain");
    EXPECT_EQ(failure_of(http(server.url())), FailureCategory::kHttpError);
  }
  {
    CannedHttp server(200, "<html>not mcp</html>", "text/html");
    EXPECT_EQ(failure_of(http(server.url())), FailureCategory::kProtocolError);
  }
  {
    CannedHttp server(302, "");
    EXPECT_EQ(failure_of(http(server.url())), FailureCategory::kHttpError);  // not followed
  }
  {
    // An ungranted bearer variable is never sent.
    CannedHttp server(401, "{}");
    ServerConfig remote = http(server.url());
    remote.bearer_token_env_var = "REMOTE_TOKEN";
    context_.parent_env["REMOTE_TOKEN"] = "ungranted-bearer-value";
    context_.grants.per_server.clear();
    EXPECT_EQ(failure_of(remote), FailureCategory::kAuthRequired);
    EXPECT_EQ(server.authorization(), "");
  }
  EXPECT_EQ(failure_of(http("http://127.0.0.1:1/mcp")), FailureCategory::kHttpError);
}

}  // namespace
}  // namespace omk::mcp

#include "core/error.h"
#include "mcp/check.h"

namespace omk::mcp {
namespace {

TEST_F(ClientTest, RequiredServerGateRefusesWithExit3NamingServerAndCategory) {
  ServerConfig healthy = stdio("healthy", {"/usr/bin/python3", fault_server().string(), "legacy"});
  healthy.required = true;
  ServerConfig broken = stdio("broken", {"/usr/bin/python3", fault_server().string(), "garbage"});
  broken.required = true;
  ServerConfig optional = stdio("optional", {"/usr/bin/python3", fault_server().string(), "exit"});
  std::vector<ServerConfig> servers = {healthy, broken, optional};
  CheckOptions options;
  try {
    enforce_required_servers(servers, context_, {}, options);
    FAIL() << "a failing required server did not block";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ExitCode::kPolicy);
    EXPECT_NE(std::string(error.what()).find("\"broken\""), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("protocol-error"), std::string::npos) << error.what();
  }
  // A child that does not receive the broken server is not blocked by it; optional failures
  // never block.
  EXPECT_NO_THROW(enforce_required_servers(servers, context_, {"healthy", "optional"}, options));
}

}  // namespace
}  // namespace omk::mcp
