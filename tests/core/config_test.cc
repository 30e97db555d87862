#include "core/config.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "test_support.h"

namespace omk {
namespace {

std::string error_of(std::string_view text, const EnvMap& env = {}) {
  try {
    parse_config(text, "cfg.toml", env);
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ExitCode::kUsage);
    return error.what();
  }
  return "";
}

TEST(Config, DefaultsWhenEmpty) {
  Config config = parse_config("", "cfg.toml", {});
  EXPECT_EQ(config.string("runtime.provider"), "auto");
  EXPECT_EQ(config.string("runtime.execution"), "ask");
  EXPECT_EQ(config.integer("runtime.turn_timeout_ms"), 120000);
  EXPECT_EQ(config.mcp_scope(), Scope::kProject);
  EXPECT_TRUE(config.strings("env.allow").empty());
  EXPECT_EQ(config.source("runtime.provider"), ValueSource::kDefault);
  EXPECT_TRUE(config.warnings().empty());
}

TEST(Config, ReadsEveryKind) {
  Config config = parse_config(R"(
[runtime]
provider = "codex"
execution = "never"
sandbox = "read-only"
turn_timeout_ms = 5000
[scopes]
mcp = "none"
skills = "all"
[env]
allow = ["MY_TOOL_HOME", "LC_*"]
grant_secrets = ["OPENAI_API_KEY"]
)",
                               "cfg.toml", {});
  EXPECT_EQ(config.string("runtime.provider"), "codex");
  EXPECT_EQ(config.string("runtime.sandbox"), "read-only");
  EXPECT_EQ(config.integer("runtime.turn_timeout_ms"), 5000);
  EXPECT_EQ(config.mcp_scope(), Scope::kNone);
  EXPECT_EQ(config.skills_scope(), Scope::kAll);
  EXPECT_EQ(config.hooks_scope(), Scope::kProject);
  EXPECT_EQ(config.strings("env.allow"), (std::vector<std::string>{"MY_TOOL_HOME", "LC_*"}));
  EXPECT_EQ(config.source("runtime.provider"), ValueSource::kFile);
}

TEST(Config, UnknownKeysAndTablesAreWarningsWithLines) {
  Config config =
      parse_config("[runtime]\nprovidr = \"x\"\n\n[colours]\nred = 1\n", "cfg.toml", {});
  ASSERT_EQ(config.warnings().size(), 2u);
  EXPECT_EQ(config.warnings()[0], "cfg.toml:2: unknown key \"runtime.providr\" ignored");
  EXPECT_EQ(config.warnings()[1], "cfg.toml:4: unknown table [colours] ignored");
}

TEST(Config, WrongTypeNamesFileLineAndKey) {
  std::string error = error_of("[runtime]\n\nturn_timeout_ms = \"soon\"\n");
  EXPECT_NE(error.find("cfg.toml:3: runtime.turn_timeout_ms must be an integer, got a string"),
            std::string::npos)
      << error;
}

TEST(Config, FloatsAreNotIntegers) {
  EXPECT_NE(error_of("[runtime]\nturn_timeout_ms = 1.5\n").find("got a float"), std::string::npos);
}

TEST(Config, ArrayItemsMustBeStrings) {
  EXPECT_NE(error_of("[env]\nallow = [\"A\", 2]\n").find("env.allow must be an array of strings"),
            std::string::npos);
}

TEST(Config, AScalarWhereATableBelongs) {
  EXPECT_NE(error_of("runtime = 3\n").find("runtime must be a table"), std::string::npos);
}

TEST(Config, UnknownScopeValueIsAnError) {
  std::string error = error_of("[scopes]\nmcp = \"global\"\n");
  EXPECT_NE(error.find("scopes.mcp: \"global\" is not one of: project, all, none"),
            std::string::npos)
      << error;
}

TEST(Config, ReportsEveryProblemAtOnce) {
  std::string error =
      error_of("[runtime]\nexecution = \"yolo\"\nturn_timeout_ms = 0\n[env]\nallow = [\"a b\"]\n");
  EXPECT_NE(error.find(":2: runtime.execution"), std::string::npos) << error;
  EXPECT_NE(error.find(":3: runtime.turn_timeout_ms: 0 is below the minimum 1"), std::string::npos)
      << error;
  EXPECT_NE(error.find(":5: env.allow"), std::string::npos) << error;
}

TEST(Config, MalformedTomlNamesLineAndColumn) {
  std::string error = error_of("[runtime]\nprovider = \"unterminated\n");
  EXPECT_NE(error.find("cfg.toml:2:"), std::string::npos) << error;
  EXPECT_NE(error.find("malformed TOML"), std::string::npos) << error;
}

TEST(Config, EnvironmentOverridesWinOverTheFile) {
  Config config =
      parse_config("[runtime]\nprovider = \"codex\"\n[scopes]\nmcp = \"none\"\n", "cfg.toml",
                   {{"OMK_PROVIDER", "claude"},
                    {"OMK_MCP_SCOPE", "all"},
                    {"OMK_SKILLS_SCOPE", "none"},
                    {"OMK_HOOKS_SCOPE", "all"},
                    {"OMK_EXECUTION", "auto"},
                    {"OMK_TURN_TIMEOUT_MS", "900"}});
  EXPECT_EQ(config.string("runtime.provider"), "claude");
  EXPECT_EQ(config.source("runtime.provider"), ValueSource::kEnv);
  EXPECT_EQ(config.mcp_scope(), Scope::kAll);
  EXPECT_EQ(config.skills_scope(), Scope::kNone);
  EXPECT_EQ(config.hooks_scope(), Scope::kAll);
  EXPECT_EQ(config.string("runtime.execution"), "auto");
  EXPECT_EQ(config.integer("runtime.turn_timeout_ms"), 900);
}

TEST(Config, EmptyOverrideCountsAsUnset) {
  Config config = parse_config("[scopes]\nmcp = \"none\"\n", "cfg.toml", {{"OMK_MCP_SCOPE", ""}});
  EXPECT_EQ(config.mcp_scope(), Scope::kNone);
}

TEST(Config, BadOverridesNameTheVariable) {
  EXPECT_NE(error_of("", {{"OMK_MCP_SCOPE", "everything"}}).find("OMK_MCP_SCOPE"),
            std::string::npos);
  EXPECT_NE(error_of("", {{"OMK_TURN_TIMEOUT_MS", "12s"}}).find("OMK_TURN_TIMEOUT_MS"),
            std::string::npos);
  EXPECT_NE(error_of("", {{"OMK_EXECUTION", "YOLO"}}).find("OMK_EXECUTION"), std::string::npos);
}

TEST(Config, LoadsFromTheProjectAndReportsAbsence) {
  test::TempDir tmp;
  Config absent = load_config(tmp.path(), {});
  EXPECT_FALSE(absent.file_exists());
  test::write_text(tmp.path() / ".omk/config.toml", "[runtime]\nexecution = \"never\"\n");
  Config present = load_config(tmp.path(), {});
  EXPECT_TRUE(present.file_exists());
  EXPECT_EQ(present.string("runtime.execution"), "never");
  EXPECT_EQ(present.file(), tmp.path() / ".omk/config.toml");
}

TEST(Config, ErrorsNameTheRealPath) {
  test::TempDir tmp;
  test::write_text(tmp.path() / ".omk/config.toml", "[scopes]\nhooks = 1\n");
  try {
    load_config(tmp.path(), {});
    FAIL();
  } catch (const UserError& error) {
    EXPECT_NE(std::string(error.what()).find((tmp.path() / ".omk/config.toml").string() + ":2"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace omk

namespace omk {
namespace {

TEST(Config, GuardRulesMustLookLikeRules) {
  Config config = parse_config(
      "[guard]\nallow = [\"Bash(git push:*)\", \"Read\"]\nprotected_branches = [\"trunk\"]\n",
      "cfg.toml", {});
  EXPECT_EQ(config.strings("guard.allow").size(), 2u);
  EXPECT_EQ(config.strings("guard.protected_branches"), std::vector<std::string>{"trunk"});
  std::string error = error_of("[guard]\ndeny = [\"rm -rf\"]\n");
  EXPECT_NE(error.find("cfg.toml:2: guard.deny"), std::string::npos) << error;
  EXPECT_NE(error.find("Tool(pattern)"), std::string::npos) << error;
  EXPECT_NE(error_of("[guard]\nask = [\"Bash()\"]\n"), "");
}

TEST(Config, GuardKeysHaveNoEnvironmentOverride) {
  for (const ConfigKey& key : config_schema()) {
    if (key.path.starts_with("guard.")) {
      EXPECT_TRUE(key.env_override.empty()) << key.path;
    }
  }
}

}  // namespace
}  // namespace omk
