#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace omk {
namespace {
namespace fs = std::filesystem;
using test::run_omk;
using test::TempDir;
using test::write_text;

TEST(ConfigCommand, ShowsValuesWithTheirSources) {
  TempDir tmp;
  write_text(tmp.path() / ".omk/config.toml", "[runtime]\nprovider = \"codex\"\n");
  auto result = run_omk({"config", "show", "--json"}, tmp.path(), {{"OMK_EXECUTION", "never"}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(test::schema_errors("omk.config.v1", result.out), "");
  auto doc = nlohmann::json::parse(result.out);
  std::map<std::string, nlohmann::json> keys;
  for (const auto& key : doc["keys"]) keys[key["key"]] = key;
  EXPECT_EQ(keys["runtime.provider"]["value"], "codex");
  EXPECT_EQ(keys["runtime.provider"]["source"], "file");
  EXPECT_EQ(keys["runtime.execution"]["value"], "never");
  EXPECT_EQ(keys["runtime.execution"]["source"], "env");
  EXPECT_EQ(keys["runtime.sandbox"]["source"], "default");
}

TEST(ConfigCommand, MalformedTomlIsOneMessageAndExit2) {
  TempDir tmp;
  write_text(tmp.path() / ".omk/config.toml", "[runtime\nprovider = 1\n");
  auto result = run_omk({"config", "show"}, tmp.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(result.out.empty());
  EXPECT_NE(result.err.find(".omk/config.toml:1:"), std::string::npos) << result.err;
}

TEST(ConfigCommand, WrongTypeAndUnknownScopeNameFileLineAndKey) {
  TempDir tmp;
  write_text(tmp.path() / ".omk/config.toml",
             "[runtime]\nturn_timeout_ms = \"2m\"\n[scopes]\nskills = \"global\"\n");
  auto result = run_omk({"config", "show"}, tmp.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("config.toml:2: runtime.turn_timeout_ms must be an integer"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("config.toml:4: scopes.skills"), std::string::npos) << result.err;
}

TEST(ConfigCommand, BadEnvironmentOverrideNamesTheVariable) {
  TempDir tmp;
  auto result = run_omk({"config", "show"}, tmp.path(), {{"OMK_HOOKS_SCOPE", "sometimes"}});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("OMK_HOOKS_SCOPE"), std::string::npos) << result.err;
}

TEST(ConfigCommand, UnknownKeysWarnButWork) {
  TempDir tmp;
  write_text(tmp.path() / ".omk/config.toml", "[runtime]\nprovder = \"x\"\n");
  auto result = run_omk({"config", "show"}, tmp.path());
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.err.find("config.toml:2: unknown key \"runtime.provder\""), std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace omk
