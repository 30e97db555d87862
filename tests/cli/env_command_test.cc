#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace omk {
namespace {

using nlohmann::json;

const char* kSecretValue = "sk-proj-Zk8vQm2LpX9rTa4Nw7Ye1Bc5Hd3Jf6Gs0KuVb2Xn8Mq4Rt6Lp9Wz";

TEST(EnvCommand, JsonNamesWhatPassesAndWhyTheRestIsDropped) {
  test::TempDir tmp;
  auto result = test::run_omk({"env", "check", "--json", "--set", "MY_TOKEN=explicit-secret-value",
                               "--set", "KIMI_BIN=/opt/kimi", "--set", "LD_PRELOAD=/tmp/x.so"},
                              tmp.path(),
                              {{"OPENAI_API_KEY", kSecretValue},
                               {"AWS_REGION", "us-east-1"},
                               {"OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV", "\x01"},
                               {"INNOCENT_NAME", "unrelated-value"},
                               {"SENTRY_DSN", "https://abc@o1.ingest.sentry.io/1"}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(test::schema_errors("omk.env-check.v1", result.out), "");
  json doc = json::parse(result.out);
  auto reason = [&](const std::string& name) {
    for (const auto& d : doc["dropped"]) {
      if (d["name"] == name) return d["reason"].get<std::string>();
    }
    return std::string("(passed)");
  };
  EXPECT_EQ(reason("OPENAI_API_KEY"), "secret-name");
  EXPECT_EQ(reason("AWS_REGION"), "denylist");
  EXPECT_EQ(reason("INNOCENT_NAME"), "not-allowlisted");
  EXPECT_EQ(reason("SENTRY_DSN"), "secret-name");
  EXPECT_EQ(reason("MY_TOKEN"), "secret-name");
  auto passed = doc["passed"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(passed.begin(), passed.end(), "KIMI_BIN"), passed.end());
  EXPECT_NE(std::find(passed.begin(), passed.end(), "OMK_RUN_ID"), passed.end());
  EXPECT_NE(std::find(passed.begin(), passed.end(), "LD_PRELOAD"), passed.end());
  EXPECT_EQ(doc["warnings"].size(), 2u);  // MY_TOKEN dropped, LD_PRELOAD passed
  // Never a value, in any part of the output.
  for (const char* value : {kSecretValue, "explicit-secret-value", "us-east-1", "unrelated-value",
                            "/opt/kimi", "/tmp/x.so"}) {
    EXPECT_EQ(result.out.find(value), std::string::npos) << value;
    EXPECT_EQ(result.err.find(value), std::string::npos) << value;
  }
}

TEST(EnvCommand, TrustSwitchAndProjectConfig) {
  test::TempDir tmp;
  test::write_text(tmp.path() / ".omk/config.toml",
                   "[env]\nallow = [\"EDITOR\"]\ngrant_secrets = [\"OPENAI_API_KEY\"]\n");
  auto result = test::run_omk({"env", "check", "--json", "--set", "MY_TOKEN=v"}, tmp.path(),
                              {{"OPENAI_API_KEY", kSecretValue},
                               {"EDITOR", "vi"},
                               {"OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV", "1"}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  json doc = json::parse(result.out);
  auto passed = doc["passed"].get<std::vector<std::string>>();
  for (const char* name : {"EDITOR", "OPENAI_API_KEY", "MY_TOKEN"}) {
    EXPECT_NE(std::find(passed.begin(), passed.end(), name), passed.end()) << name;
  }
  auto granted = doc["granted"].get<std::vector<std::string>>();
  EXPECT_EQ(granted, (std::vector<std::string>{"MY_TOKEN", "OPENAI_API_KEY"}));
  EXPECT_EQ(result.out.find(kSecretValue), std::string::npos);
}

TEST(EnvCommand, AdapterDeclarations) {
  test::TempDir tmp;
  auto result =
      test::run_omk({"env", "check", "--adapter", "claude"}, tmp.path(),
                    {{"ANTHROPIC_API_KEY", "sk-ant-api03-Zk8vQm2LpX9rTa4Nw7Ye1Bc5Hd3Jf6Gs0Ku"},
                     {"OPENAI_API_KEY", kSecretValue}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("ANTHROPIC_API_KEY  (secret, granted)"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("OPENAI_API_KEY"), std::string::npos);
  EXPECT_EQ(result.out.find("Zk8vQm2L"), std::string::npos);

  auto unknown = test::run_omk({"env", "check", "--adapter", "nope"}, tmp.path());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown adapter 'nope'"), std::string::npos);
  EXPECT_NE(unknown.err.find("claude"), std::string::npos);
}

TEST(EnvCommand, MalformedSetIsAUsageErrorThatDoesNotEchoTheValue) {
  test::TempDir tmp;
  auto result = test::run_omk({"env", "check", "--set", "=s3cr3t-value-here"}, tmp.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err.find("s3cr3t-value-here"), std::string::npos) << result.err;
  result = test::run_omk({"env", "check", "--set", "novalue"}, tmp.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("NAME=VALUE"), std::string::npos);
}

}  // namespace
}  // namespace omk
