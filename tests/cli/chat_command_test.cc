// omk chat's flags, the no-terminal paths and the omk.turn.v1 document, without an agent CLI
// (the turns through real agents are in tests/repl/).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace omk {
namespace {
namespace fs = std::filesystem;

class ChatCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = tmp_.path() / "project";
    test::git_init(project_);
    fs::create_directories(project_ / ".omk");
    fs::create_directories(tmp_.path() / "home");
  }
  test::CommandResult omk(const std::vector<std::string>& args,
                          const std::string& stdin_data = "") {
    test::CommandOptions options;
    options.argv = {test::omk_binary()};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.cwd = project_;
    // No agent CLI on PATH and no provider key: nothing is healthy.
    options.env =
        std::map<std::string, std::string>{{"HOME", (tmp_.path() / "home").string()},
                                           {"PATH", "/usr/bin:/bin"},
                                           {"XDG_CACHE_HOME", (tmp_.path() / "cache").string()},
                                           {"LANG", "C.UTF-8"}};
    if (const char* asan = std::getenv("ASAN_OPTIONS")) (*options.env)["ASAN_OPTIONS"] = asan;
    options.stdin_data = stdin_data;
    return test::run_command(options);
  }
  test::TempDir tmp_;
  fs::path project_;
};

TEST_F(ChatCommand, BadFlagsAreUsageErrorsNamingTheInput) {
  struct Case {
    std::vector<std::string> args;
    std::string named;
  };
  for (const Case& c :
       std::vector<Case>{{{"chat", "--execution", "sometimes", "--once", "hi"}, "sometimes"},
                         {{"chat", "--sandbox", "loose", "--once", "hi"}, "loose"},
                         {{"chat", "--mcp-scope", "everything", "--once", "hi"}, "everything"},
                         {{"chat", "--risk", "dangerous", "--once", "hi"}, "dangerous"},
                         {{"chat", "--model", "gpt-5.5", "--once", "hi"}, "--provider"},
                         {{"chat", "--once", "   "}, "empty"}}) {
    auto result = omk(c.args);
    EXPECT_EQ(result.exit_code, 2) << c.named << ": " << result.err;
    EXPECT_NE(result.err.find(c.named), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(project_ / ".omk/runs")) << "nothing recorded for " << c.named;
  }
}

TEST_F(ChatCommand, BareOmkWithoutATerminalKeepsItsHelp) {
  auto result = omk({}, "this is not a prompt");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("Subcommands:"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("chat"), std::string::npos) << result.out;
}

TEST_F(ChatCommand, OnceWithNoHealthyProviderIsExit4WithAValidDocument) {
  auto result = omk({"chat", "--once", "explain main.cc", "--json"});
  EXPECT_EQ(result.exit_code, 4) << result.err << result.out;
  ASSERT_EQ(test::schema_errors("omk.turn.v1", result.out), "") << result.out;
  auto document = nlohmann::json::parse(result.out);
  EXPECT_EQ(document["outcome"], "refused");
  EXPECT_EQ(document["route"]["risk"], "read");
  EXPECT_TRUE(document["route"]["provider"].is_null());
  EXPECT_FALSE(document["route"]["candidates"].empty());
  EXPECT_TRUE(document["attempts"].empty());
  // The session is a run in the store, listed by omk runs.
  std::string run = document["run_id"];
  auto runs = omk({"runs"});
  EXPECT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_NE(runs.out.find(run), std::string::npos) << runs.out;
  auto inspect = omk({"inspect", run});
  EXPECT_EQ(inspect.exit_code, 0) << inspect.err;
}

TEST_F(ChatCommand, ANamedProviderThatCannotRunIsNeverReplaced) {
  auto result = omk({"chat", "--provider", "claude", "--once", "fix main.cc", "--json"});
  EXPECT_EQ(result.exit_code, 4) << result.err << result.out;
  ASSERT_EQ(test::schema_errors("omk.turn.v1", result.out), "") << result.out;
  auto document = nlohmann::json::parse(result.out);
  EXPECT_EQ(document["route"]["preferred"], "claude") << document.dump(1);
  EXPECT_TRUE(document["route"]["provider"].is_null());
  for (const auto& candidate : document["route"]["candidates"]) {
    std::string reason = candidate["rejected_reason"];
    if (candidate["id"] == "claude") {
      EXPECT_NE(reason.find("not healthy"), std::string::npos) << reason;
    } else {
      EXPECT_NE(reason.find("not the requested provider (claude)"), std::string::npos) << reason;
    }
  }
  auto unknown = omk({"chat", "--provider", "no-such-agent", "--once", "hi"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
  EXPECT_NE(unknown.err.find("no-such-agent"), std::string::npos) << unknown.err;
}

TEST_F(ChatCommand, PromptOnStdinIsOneTurnAndSaysWhyItCannotRun) {
  auto result = omk({"chat"}, "what does main.cc do?\n");
  EXPECT_EQ(result.exit_code, 4) << result.err << result.out;
  EXPECT_EQ(result.out.find("omk> "), std::string::npos) << "no prompt without a terminal";
  EXPECT_NE(result.err.find("[turn-1]"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace omk
