// The dual-era server framework and the omk-project server's tools.
#include "mcp/server.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/output.h"
#include "mcp/glob.h"
#include "mcp/omk_project_server.h"
#include "mcp/project_files.h"
#include "test_support.h"

namespace omk::mcp {
namespace {
namespace fs = std::filesystem;

Json request(McpServer& server, ServerSession& session, const std::string& method,
             Json params = Json::object(), Json id = 1) {
  auto replies =
      server.handle_frame(jsonrpc::serialize(jsonrpc::make_request(id, method, params)), session);
  EXPECT_EQ(replies.size(), 1u) << method;
  return replies.empty() ? Json() : replies[0];
}

class OmkProjectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path() / "project";
    test::git_init(root_);
    test::write_text(root_ / "src/main.cc", "int main() {\n  return 0;  // TODO exit\n}\n");
    test::write_text(root_ / "README.md", "# Demo\nline two\nline three\n");
    test::write_text(root_ / ".gitignore", "build/\n*.log\n");
    test::write_text(root_ / "build/out.o", "binary-ish");
    test::write_text(root_ / "debug.log", "TODO in a log\n");
    test::write_text(root_ / ".env", "API_KEY=sk-live-PLANTED\n");
    test::write_text(root_ / "keys/server.pem", "-----BEGIN PRIVATE KEY-----\n");
    test::write_text(tmp_.path() / "outside.txt", "outside the project\n");
    fs::create_symlink(tmp_.path() / "outside.txt", root_ / "escape.txt");
    fs::create_symlink(root_ / "README.md", root_ / "readme-link.md");
    server_ = make_omk_project_server(root_, current_environment());
    request(*server_, session_, "initialize",
            {{"protocolVersion", "2025-06-18"},
             {"capabilities", Json::object()},
             {"clientInfo", {{"name", "t"}, {"version", "1"}}}});
  }
  void TearDown() override { set_output_filter(nullptr); }

  Json call(const std::string& tool, Json args = Json::object()) {
    Json reply = request(*server_, session_, "tools/call", {{"name", tool}, {"arguments", args}});
    return reply.contains("result") ? reply["result"] : reply;
  }
  static std::string text(const Json& result) {
    return result.contains("content") ? result["content"][0].value("text", "") : result.dump();
  }
  static bool is_error(const Json& result) { return result.value("isError", false); }

  test::TempDir tmp_;
  fs::path root_;
  std::unique_ptr<McpServer> server_;
  ServerSession session_;
};

TEST_F(OmkProjectTest, NegotiatesBothEras) {
  ServerSession fresh;
  Json legacy = request(*server_, fresh, "initialize",
                        {{"protocolVersion", "2024-11-05"},
                         {"capabilities", Json::object()},
                         {"clientInfo", {{"name", "old"}, {"version", "1"}}}});
  EXPECT_EQ(legacy["result"]["protocolVersion"], "2024-11-05");
  EXPECT_EQ(legacy["result"]["serverInfo"]["name"], "omk-project");
  Json future = request(*server_, fresh, "initialize", {{"protocolVersion", "2099-01-01"}});
  EXPECT_EQ(future["result"]["protocolVersion"], "2025-11-25");
  Json discover = request(*server_, fresh, "server/discover");
  EXPECT_EQ(discover["result"]["supportedVersions"][0], "2026-07-28");
  EXPECT_EQ(discover["result"]["_meta"]["io.modelcontextprotocol/serverInfo"]["name"],
            "omk-project");
  Json wrong = request(*server_, fresh, "tools/list",
                       {{"_meta", {{"io.modelcontextprotocol/protocolVersion", "1900-01-01"}}}});
  EXPECT_EQ(wrong["error"]["code"], -32022);
  EXPECT_EQ(wrong["error"]["data"]["supported"][0], "2026-07-28");
  EXPECT_EQ(request(*server_, fresh, "ping")["result"], Json::object());
  EXPECT_EQ(request(*server_, fresh, "no/such/method")["error"]["code"], -32601);
  EXPECT_TRUE(server_->handle_frame(R"({"jsonrpc":"2.0","method":"notifications/whatever"})", fresh)
                  .empty());
  auto parse_error = server_->handle_frame("{not json", fresh);
  ASSERT_EQ(parse_error.size(), 1u);
  EXPECT_EQ(parse_error[0]["error"]["code"], -32700);
  EXPECT_TRUE(parse_error[0]["id"].is_null());
}

TEST_F(OmkProjectTest, ListsToolsWithSchemasAndReadOnlyAnnotations) {
  Json reply = request(*server_, session_, "tools/list");
  std::vector<std::string> names;
  for (const auto& tool : reply["result"]["tools"]) {
    names.push_back(tool["name"]);
    EXPECT_EQ(tool["inputSchema"]["type"], "object");
    EXPECT_EQ(tool["annotations"]["readOnlyHint"], true);
    EXPECT_FALSE(tool["description"].get<std::string>().empty());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"project_info", "list_files", "read_file", "search",
                                             "run_status", "run_evidence"}));
  EXPECT_EQ(request(*server_, session_, "tools/call", {{"name", "rm_rf"}})["error"]["code"],
            -32602);
  EXPECT_EQ(request(*server_, session_, "tools/call", {{"arguments", {}}})["error"]["code"],
            -32602);
}

TEST_F(OmkProjectTest, ListFilesRespectsGitignoreAndGlobs) {
  Json all = call("list_files")["structuredContent"];
  std::vector<std::string> files = all["files"];
  EXPECT_NE(std::find(files.begin(), files.end(), "src/main.cc"), files.end());
  EXPECT_NE(std::find(files.begin(), files.end(), ".gitignore"), files.end());
  EXPECT_EQ(std::find(files.begin(), files.end(), "build/out.o"), files.end());
  EXPECT_EQ(std::find(files.begin(), files.end(), "debug.log"), files.end());
  for (const auto& f : files) EXPECT_NE(f.rfind(".git/", 0), 0u) << f;
  Json cc = call("list_files", {{"pattern", "*.cc"}})["structuredContent"];
  EXPECT_EQ(cc["files"], Json({"src/main.cc"}));
  Json limited = call("list_files", {{"limit", 1}})["structuredContent"];
  EXPECT_EQ(limited["files"].size(), 1u);
  EXPECT_EQ(limited["truncated"], true);
  EXPECT_EQ(request(*server_, session_, "tools/call",
                    {{"name", "list_files"}, {"arguments", {{"limit", "ten"}}}})["error"]["code"],
            -32602);
}

TEST_F(OmkProjectTest, ReadFileIsContainedAndRefusesSecrets) {
  EXPECT_EQ(text(call("read_file", {{"path", "README.md"}})), "# Demo\nline two\nline three\n");
  EXPECT_EQ(text(call("read_file", {{"path", "README.md"}, {"start_line", 2}, {"end_line", 2}})),
            "line two\n");
  EXPECT_EQ(text(call("read_file", {{"path", "readme-link.md"}})),
            "# Demo\nline two\nline three\n");
  EXPECT_NE(text(call("read_file", {{"path", "README.md"}, {"max_bytes", 4}})).find("[truncated"),
            std::string::npos);
  for (const char* refused :
       {"../outside.txt", "src/../../outside.txt", "/etc/passwd", "escape.txt", ".env",
        "keys/server.pem", ".git/config", "missing.txt", "src"}) {
    Json result = call("read_file", {{"path", refused}});
    EXPECT_TRUE(is_error(result)) << refused << ": " << result.dump();
    EXPECT_EQ(text(result).find("PLANTED"), std::string::npos);
    EXPECT_EQ(text(result).find("outside the project\n"), std::string::npos);
  }
}

TEST_F(OmkProjectTest, ListingShowsOnlyWhatTheToolsWouldServe) {
  fs::create_directories(tmp_.path() / "elsewhere");
  test::write_text(tmp_.path() / "elsewhere/private.txt", "outside the project\n");
  fs::create_directory_symlink(tmp_.path() / "elsewhere", root_ / "linked");
  std::vector<std::string> files = call("list_files")["structuredContent"]["files"];
  for (const char* hidden :
       {".env", "keys/server.pem", "escape.txt", "linked", "linked/private.txt"}) {
    EXPECT_EQ(std::find(files.begin(), files.end(), hidden), files.end()) << hidden;
  }
  EXPECT_NE(std::find(files.begin(), files.end(), "readme-link.md"), files.end());
  Json through_dir = call("read_file", {{"path", "linked/private.txt"}});
  EXPECT_TRUE(is_error(through_dir)) << through_dir.dump();
  EXPECT_EQ(text(through_dir).find("outside the project\n"), std::string::npos);
  Json listed_dir = call("list_files", {{"path", "linked"}});
  EXPECT_TRUE(is_error(listed_dir)) << listed_dir.dump();
}

TEST_F(OmkProjectTest, TheGuardsSecretFileDenylistIsRefusedToo) {
  // .my.cnf and _netrc are on the command guard's list (guard::secret_file_kind), not on the
  // server's own: an agent gets the same answer through either door.
  test::write_text(root_ / ".my.cnf", "[client]\npassword=PLANTED\n");
  test::write_text(root_ / "conf/_netrc", "machine x login y password PLANTED\n");
  for (const char* refused : {".my.cnf", "conf/_netrc"}) {
    Json result = call("read_file", {{"path", refused}});
    EXPECT_TRUE(is_error(result)) << refused << ": " << result.dump();
    EXPECT_EQ(result.dump().find("PLANTED"), std::string::npos);
  }
  std::vector<std::string> files = call("list_files")["structuredContent"]["files"];
  EXPECT_EQ(std::find(files.begin(), files.end(), ".my.cnf"), files.end());
  EXPECT_TRUE(call("search", {{"pattern", "PLANTED"}})["structuredContent"]["matches"].empty());
}

TEST_F(OmkProjectTest, SpecialFilesAreRefusedWithoutHanging) {
  ASSERT_EQ(::mkfifo((root_ / "pipe").c_str(), 0600), 0);
  Json fifo = call("read_file", {{"path", "pipe"}});  // a blocking open would hang here
  EXPECT_TRUE(is_error(fifo)) << fifo.dump();
  EXPECT_NE(text(fifo).find("not a regular file"), std::string::npos) << text(fifo);
  Json found = call("search", {{"pattern", "Demo"}})["structuredContent"];
  EXPECT_FALSE(found["matches"].empty());
}

TEST_F(OmkProjectTest, RunFilesThatLeadOutOfTheProjectAreNotFollowed) {
  const std::string run = "20261125-220956-3fa9c1";
  test::write_text(root_ / ".omk/runs" / run / "state.json", R"({"status": "passed"})");
  fs::create_symlink(tmp_.path() / "outside.txt", root_ / ".omk/runs" / run / "evidence.txt");
  fs::create_symlink(root_ / ".env", root_ / ".omk/runs" / run / "verify.log");
  Json evidence = call("run_evidence", {{"run_id", run}});
  // The file's content as the JSON dump escapes it (the refusal note may say "outside the
  // project").
  EXPECT_EQ(evidence.dump().find(R"(outside the project\n)"), std::string::npos) << evidence.dump();
  EXPECT_EQ(evidence.dump().find("PLANTED"), std::string::npos) << evidence.dump();
  fs::create_directory_symlink(tmp_.path(), root_ / ".omk/runs/20261126-010000-000000");
  Json linked = call("run_status", {{"run_id", "20261126-010000-000000"}});
  EXPECT_TRUE(is_error(linked)) << linked.dump();
}

TEST_F(OmkProjectTest, FileContentsPassThroughTheRedactor) {
  test::write_text(root_ / "config.txt", "token=redact-me-please\n");
  set_output_filter([](std::string_view text) {
    std::string out(text);
    for (size_t at = out.find("redact-me-please"); at != std::string::npos;
         at = out.find("redact-me-please")) {
      out.replace(at, 16, "[REDACTED:test]");
    }
    return out;
  });
  EXPECT_EQ(text(call("read_file", {{"path", "config.txt"}})), "token=[REDACTED:test]\n");
  Json found = call("search", {{"pattern", "token="}})["structuredContent"];
  ASSERT_EQ(found["matches"].size(), 1u);
  EXPECT_EQ(found["matches"][0]["text"], "token=[REDACTED:test]");
}

TEST_F(OmkProjectTest, SearchUsesRegexesAndSkipsSecretsAndIgnoredFiles) {
  Json found = call("search", {{"pattern", "TODO\\s+\\w+"}})["structuredContent"];
  ASSERT_EQ(found["matches"].size(), 1u);  // not debug.log (ignored)
  EXPECT_EQ(found["matches"][0]["path"], "src/main.cc");
  EXPECT_EQ(found["matches"][0]["line"], 2);
  Json none = call("search", {{"pattern", "sk-live"}})["structuredContent"];
  EXPECT_TRUE(none["matches"].empty());  // .env is never searched
  Json caseless =
      call("search", {{"pattern", "DEMO"}, {"case_sensitive", false}})["structuredContent"];
  ASSERT_FALSE(caseless["matches"].empty());
  EXPECT_EQ(caseless["matches"][0]["path"], "README.md");
  Json escaped = call("search", {{"pattern", "outside the project"}})["structuredContent"];
  EXPECT_TRUE(escaped["matches"].empty());  // escape.txt links out of the project
  Json bad = call("search", {{"pattern", "(a"}});
  EXPECT_TRUE(is_error(bad));
  Json backref = call("search", {{"pattern", "(a)\\1"}});
  EXPECT_TRUE(is_error(backref));
}

TEST_F(OmkProjectTest, RunToolsReadOmkRunsRedacted) {
  Json empty = call("run_status")["structuredContent"];
  EXPECT_EQ(empty["count"], 0);
  test::write_text(root_ / ".omk/runs/20261125-220956-3fa9c1/state.json",
                   R"({"status": "passed"})");
  test::write_text(root_ / ".omk/runs/20261125-220956-3fa9c1/evidence.json",
                   R"({"gates": [{"name": "tests", "passed": true}]})");
  test::write_text(root_ / ".omk/runs/20261126-010000-000000/state.json",
                   R"({"status": "running"})");
  Json runs = call("run_status")["structuredContent"];
  ASSERT_EQ(runs["count"], 2);
  EXPECT_EQ(runs["runs"][0]["run_id"], "20261126-010000-000000");  // newest first
  EXPECT_EQ(runs["runs"][1]["status"], "passed");
  Json one = call("run_status", {{"run_id", "20261125-220956-3fa9c1"}})["structuredContent"];
  EXPECT_EQ(one["status"], "passed");
  Json evidence = call("run_evidence", {{"run_id", "20261125-220956-3fa9c1"}})["structuredContent"];
  EXPECT_EQ(evidence["evidence"]["evidence.json"]["gates"][0]["passed"], true);
  EXPECT_TRUE(is_error(call("run_evidence", {{"run_id", "20261126-010000-000000"}})));
  Json traversal = request(*server_, session_, "tools/call",
                           {{"name", "run_status"}, {"arguments", {{"run_id", "../../etc"}}}});
  EXPECT_EQ(traversal["error"]["code"], -32602);
}

TEST_F(OmkProjectTest, ResourcesAndPrompts) {
  Json list = request(*server_, session_, "resources/list");
  ASSERT_EQ(list["result"]["resources"].size(), 2u);
  Json info = request(*server_, session_, "resources/read", {{"uri", "omk://project/info"}});
  Json parsed = Json::parse(info["result"]["contents"][0]["text"].get<std::string>());
  EXPECT_EQ(parsed["name"], "project");
  EXPECT_EQ(request(*server_, session_, "resources/read", {{"uri", "omk://nope"}})["error"]["code"],
            -32602);
  Json prompt = request(*server_, session_, "prompts/get", {{"name", "project_orientation"}});
  EXPECT_EQ(prompt["result"]["messages"][0]["role"], "user");
}

TEST(SecretPaths, KnownCredentialFilesAreSecret) {
  for (const char* path : {".env", ".env.local", "config/.envrc", "id_rsa", "home/.ssh/config",
                           "a/b/server.key", "cert.pem", ".git/config", ".npmrc", ".netrc",
                           "gcp/service-account-prod.json", ".aws/credentials"}) {
    EXPECT_TRUE(ProjectFiles::is_secret_path(path)) << path;
  }
  for (const char* path : {"src/env.cc", "id_rsa.pub", "docs/keys.md", "environment.md",
                           "src/git/config.cc", ".gitignore"}) {
    EXPECT_FALSE(ProjectFiles::is_secret_path(path)) << path;
  }
}

TEST(Glob, SegmentsAndGlobstars) {
  EXPECT_TRUE(glob_match("*.cc", "src/deep/main.cc"));
  EXPECT_FALSE(glob_match("src/*.cc", "src/deep/main.cc"));
  EXPECT_TRUE(glob_match("src/**/*.cc", "src/deep/main.cc"));
  EXPECT_TRUE(glob_match("src/**/*.cc", "src/main.cc"));
  EXPECT_TRUE(glob_match("**", "a/b/c"));
  EXPECT_TRUE(glob_match("docs/**", "docs/x/y.md"));
  EXPECT_TRUE(glob_match("test_?.py", "tests/test_a.py"));
  EXPECT_TRUE(glob_match("[ab]*.txt", "b1.txt"));
  EXPECT_FALSE(glob_match("[!ab]*.txt", "b1.txt"));
  EXPECT_TRUE(glob_match("/README.md", "README.md"));
  std::string long_path(2000, 'a');
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*b", long_path));  // linear, no blow-up
}

}  // namespace
}  // namespace omk::mcp
