// build_child_env: the original project's edge cases (reference safety.md §1.9, §2.6,
// §15.1-15.2) and the holes this port closes.
#include <gtest/gtest.h>

#include <algorithm>

#include "safety/env_policy.h"

namespace omk::safety {
namespace {

RunMetadata metadata() {
  return {"run-1", "node-1", "tester", std::nullopt, std::nullopt, {}};
}

const DroppedVariable* dropped(const ChildEnv& child, const std::string& name,
                               EnvSource source = EnvSource::kParent) {
  for (const DroppedVariable& d : child.dropped) {
    if (d.name == name && d.source == source) return &d;
  }
  return nullptr;
}

std::string dump(const ChildEnv& child) {
  std::string out;
  for (const auto& w : child.warnings) out += w + "\n";
  for (const auto& d : child.dropped) out += d.name + ":" + std::string(to_string(d.reason)) + " ";
  return out;
}

TEST(EnvPolicy, ParentIsAllowlistOnlyAndDenylistWins) {
  // §15.1 case 1: only PATH and HOME survive.
  EnvMap parent = {{"PATH", "/usr/bin"},
                   {"HOME", "/home/u"},
                   {"SECRET_TOKEN", "hidden"},
                   {"AWS_REGION", "us-east-1"},
                   {"AWS_ACCESS_KEY_ID", "AKIAQWERTYUIOPASDFGH"},
                   {"RANDOM_VALUE", "drop-me"}};
  EnvMap explicit_env = {
      {"GITHUB_TOKEN", "hidden"}, {"NPM_TOKEN", "hidden"}, {"DOTENV_CONFIG_PATH", "/repo/.env"}};
  ChildEnv child = build_child_env(parent, explicit_env, metadata(), EnvPolicy{});
  EnvMap expected = {{"PATH", "/usr/bin"},
                     {"HOME", "/home/u"},
                     {"OMK_RUN_ID", "run-1"},
                     {"OMK_NODE_ID", "node-1"},
                     {"OMK_NODE_ROLE", "tester"}};
  EXPECT_EQ(child.env, expected) << dump(child);
  EXPECT_EQ(dropped(child, "AWS_REGION")->reason, DropReason::kDenylist);
  EXPECT_EQ(dropped(child, "SECRET_TOKEN")->reason, DropReason::kSecretName);
  EXPECT_EQ(dropped(child, "RANDOM_VALUE")->reason, DropReason::kNotAllowlisted);
  EXPECT_EQ(dropped(child, "GITHUB_TOKEN", EnvSource::kExplicit)->reason, DropReason::kDenylist);
  EXPECT_EQ(dropped(child, "DOTENV_CONFIG_PATH", EnvSource::kExplicit)->reason,
            DropReason::kDenylist);
}

TEST(EnvPolicy, AllowlistedSecretNeedsAGrant) {
  EnvMap parent = {{"PATH", "/usr/bin"}, {"OPENAI_API_KEY", "secret-value"}, {"GITHUB_TOKEN", "t"}};
  EnvPolicy policy;
  policy.allow = {"OPENAI_API_KEY", "GITHUB_TOKEN"};
  ChildEnv child = build_child_env(parent, {}, metadata(), policy);
  EXPECT_EQ(child.env.count("OPENAI_API_KEY"), 0u);
  EXPECT_EQ(dropped(child, "OPENAI_API_KEY")->reason, DropReason::kSecretName);

  policy.grant_secrets = {"OPENAI_API_KEY", "GITHUB_TOKEN"};
  child = build_child_env(parent, {}, metadata(), policy);
  EXPECT_EQ(child.env.at("OPENAI_API_KEY"), "secret-value");
  EXPECT_EQ(child.granted, std::vector<std::string>{"OPENAI_API_KEY"});
  // The denylist wins over allow and grant (§1.9).
  EXPECT_EQ(child.env.count("GITHUB_TOKEN"), 0u);
  EXPECT_EQ(dropped(child, "GITHUB_TOKEN")->reason, DropReason::kDenylist);
}

TEST(EnvPolicy, GrantAloneIsEnoughForAParentSecret) {
  EnvPolicy policy;
  policy.grant_secrets = {"DEEPSEEK_*"};
  ChildEnv child = build_child_env({{"DEEPSEEK_API_KEY", "sk-x"}, {"DEEPSEEK_MODEL", "m"}}, {},
                                   metadata(), policy);
  EXPECT_EQ(child.env.count("DEEPSEEK_API_KEY"), 1u);
  EXPECT_EQ(child.env.count("DEEPSEEK_MODEL"), 1u);
  EXPECT_EQ(child.granted, std::vector<std::string>{"DEEPSEEK_API_KEY"});
}

TEST(EnvPolicy, SecretValueUnderAnInnocentName) {
  EnvPolicy policy;
  policy.allow = {"MY_CONFIG", "HTTPS_PROXY", "NO_PROXY"};
  EnvMap parent = {{"MY_CONFIG", "ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5"},
                   {"HTTPS_PROXY", "http://deploy:Qw3rTy7uIo9p@proxy.local:3128"},
                   {"NO_PROXY", "localhost,127.0.0.1"}};
  ChildEnv child = build_child_env(parent, {}, metadata(), policy);
  EXPECT_EQ(dropped(child, "MY_CONFIG")->reason, DropReason::kSecretValue);
  EXPECT_EQ(dropped(child, "MY_CONFIG")->rule, "github-pat-classic");
  EXPECT_EQ(dropped(child, "HTTPS_PROXY")->reason, DropReason::kSecretValue);
  EXPECT_EQ(dropped(child, "HTTPS_PROXY")->rule, "url-credentials");
  EXPECT_EQ(child.env.at("NO_PROXY"), "localhost,127.0.0.1");
}

TEST(EnvPolicy, OmkVariablesNeverComeFromTheParent) {
  EnvPolicy policy;
  policy.allow = {"OMK_*"};
  EnvMap parent = {{"OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV", "1"},
                   {"OMK_EXECUTION", "auto"},
                   {"OMK_ALLOW_RELEASE", "1"},
                   {"OMK_RUN_ID", "parent-run"}};
  ChildEnv child = build_child_env(parent, {}, metadata(), policy);
  for (const char* name :
       {"OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV", "OMK_EXECUTION", "OMK_ALLOW_RELEASE", "OMK_RUN_ID"}) {
    ASSERT_NE(dropped(child, name), nullptr) << name;
    EXPECT_EQ(dropped(child, name)->reason, DropReason::kControlVariable) << name;
  }
  EXPECT_EQ(child.env.at("OMK_RUN_ID"), "run-1");
  EXPECT_EQ(child.env.count("OMK_EXECUTION"), 0u);
}

TEST(EnvPolicy, ExplicitSecretIsDroppedWithOneWarningNamingIt) {
  // §15.1 case 5 and §15.2 case 3.
  EnvMap explicit_env = {{"EXPLICIT_FAKE_SECRET_REGRESSION_TOKEN", "allowed-explicit"},
                         {"KIMI_BIN", "/opt/kimi"},
                         {"OMK_CAPTURE_PATH", "/tmp/capture.json"},
                         {"PATH", "/usr/local/bin:/usr/bin"}};
  ChildEnv child = build_child_env({{"PATH", "/usr/bin"}}, explicit_env, metadata(), EnvPolicy{});
  EXPECT_EQ(child.env.count("EXPLICIT_FAKE_SECRET_REGRESSION_TOKEN"), 0u);
  EXPECT_EQ(child.env.at("KIMI_BIN"), "/opt/kimi");
  EXPECT_EQ(child.env.at("OMK_CAPTURE_PATH"), "/tmp/capture.json");
  EXPECT_EQ(child.env.at("PATH"), "/usr/local/bin:/usr/bin");  // explicit wins
  ASSERT_EQ(child.warnings.size(), 1u);
  EXPECT_NE(child.warnings[0].find("EXPLICIT_FAKE_SECRET_REGRESSION_TOKEN"), std::string::npos);
  EXPECT_NE(child.warnings[0].find("dropped"), std::string::npos);
  EXPECT_EQ(child.warnings[0].find("allowed-explicit"), std::string::npos);
  EXPECT_EQ(dropped(child, "EXPLICIT_FAKE_SECRET_REGRESSION_TOKEN", EnvSource::kExplicit)->reason,
            DropReason::kSecretName);
}

TEST(EnvPolicy, TwoExplicitSecretsGiveTwoWarnings) {
  EnvMap explicit_env = {{"KIMI_AUTH_TOKEN", "a"}, {"OMK_SECRET_TOKEN", "b"}};
  ChildEnv child = build_child_env({}, explicit_env, metadata(), EnvPolicy{});
  EXPECT_EQ(child.warnings.size(), 2u);
  EXPECT_EQ(child.env.count("KIMI_AUTH_TOKEN"), 0u);
}

TEST(EnvPolicy, ExplicitSecretValueUnderAnInnocentName) {
  // A made-up token of the right shape (no real key has this body).
  EnvMap explicit_env = {{"SETTINGS", "sk-ant-api03-Zk8vQm2LpX9rTa4Nw7Ye1Bc5Hd3Jf6Gs0Ku"}};
  ChildEnv child = build_child_env({}, explicit_env, metadata(), EnvPolicy{});
  EXPECT_EQ(child.env.count("SETTINGS"), 0u);
  EXPECT_EQ(dropped(child, "SETTINGS", EnvSource::kExplicit)->reason, DropReason::kSecretValue);
}

TEST(EnvPolicy, TrustSwitchComesFromTheOmkEnvironmentOnly) {
  EnvMap explicit_env = {{"MY_TOKEN", "trusted-explicit"},
                         {"OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV", "1"}};
  // In the explicit env itself the switch is a dropped control variable, not a trust grant.
  ChildEnv untrusted = build_child_env({}, explicit_env, metadata(), EnvPolicy{});
  EXPECT_EQ(untrusted.env.count("MY_TOKEN"), 0u);
  EXPECT_EQ(dropped(untrusted, "OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV", EnvSource::kExplicit)->reason,
            DropReason::kControlVariable);

  Config config = parse_config("", "test.toml", {});
  EnvPolicy trusted = env_policy_from_config(config, {{"OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV", "1"}});
  ChildEnv child = build_child_env({}, explicit_env, metadata(), trusted);
  EXPECT_EQ(child.env.at("MY_TOKEN"), "trusted-explicit");
  EXPECT_EQ(child.granted, std::vector<std::string>{"MY_TOKEN"});
  EXPECT_EQ(child.env.count("OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV"), 0u);

  // Strict mode keeps its documented meaning: drop, no trust override.
  EnvPolicy strict = env_policy_from_config(
      config, {{"OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV", "1"}, {"OMK_STRICT_KIMI_EXPLICIT_ENV", "1"}});
  EXPECT_EQ(build_child_env({}, explicit_env, metadata(), strict).env.count("MY_TOKEN"), 0u);
}

TEST(EnvPolicy, TrustNeverPassesInheritedSecretsOrDenylistedNames) {
  EnvPolicy policy;
  policy.trust_explicit_secrets = true;
  policy.allow = {"SECRET_TOKEN"};
  ChildEnv child =
      build_child_env({{"SECRET_TOKEN", "inherited"}},
                      {{"GITHUB_TOKEN", "x"}, {"OMK_ALLOW_RELEASE", "1"}}, metadata(), policy);
  EXPECT_EQ(child.env.count("SECRET_TOKEN"), 0u);
  EXPECT_EQ(child.env.count("GITHUB_TOKEN"), 0u);
  EXPECT_EQ(child.env.count("OMK_ALLOW_RELEASE"), 0u);
}

TEST(EnvPolicy, CodeInjectionVariables) {
  EnvPolicy policy;
  policy.allow = {"LD_PRELOAD", "NODE_OPTIONS"};
  ChildEnv child = build_child_env({{"LD_PRELOAD", "/evil.so"}, {"NODE_OPTIONS", "--require x"}},
                                   {{"GIT_SSH_COMMAND", "ssh -i key"}, {"PYTHONPATH", "/src"}},
                                   metadata(), policy);
  EXPECT_EQ(child.env.count("LD_PRELOAD"), 0u);  // never from the parent, even allowlisted
  EXPECT_EQ(dropped(child, "LD_PRELOAD")->reason, DropReason::kDenylist);
  EXPECT_EQ(child.env.at("GIT_SSH_COMMAND"), "ssh -i key");  // explicit: passes, with a warning
  EXPECT_EQ(child.env.at("PYTHONPATH"), "/src");
  EXPECT_EQ(child.warnings.size(), 2u);
  for (const auto& warning : child.warnings) {
    EXPECT_EQ(warning.find("ssh -i key"), std::string::npos);
  }
}

TEST(EnvPolicy, AdapterCredentialIsGrantedToThatAdapterOnly) {
  Config config = parse_config("", "test.toml", {});
  EnvMap parent = {{"ANTHROPIC_API_KEY", "sk-ant-x"},
                   {"ANTHROPIC_BASE_URL", "http://127.0.0.1:9"},
                   {"OPENAI_API_KEY", "sk-o"}};
  ChildEnv claude = build_child_env(parent, {}, metadata(),
                                    env_policy_from_config(config, {}, find_adapter_env("claude")));
  EXPECT_EQ(claude.env.count("ANTHROPIC_API_KEY"), 1u);
  EXPECT_EQ(claude.env.count("ANTHROPIC_BASE_URL"), 1u);
  EXPECT_EQ(claude.env.count("OPENAI_API_KEY"), 0u);
  ChildEnv codex = build_child_env(parent, {}, metadata(),
                                   env_policy_from_config(config, {}, find_adapter_env("codex")));
  EXPECT_EQ(codex.env.count("ANTHROPIC_API_KEY"), 0u);
  EXPECT_EQ(codex.env.count("OPENAI_API_KEY"), 1u);
  ChildEnv none = build_child_env(parent, {}, metadata(), env_policy_from_config(config, {}));
  EXPECT_EQ(none.env.count("ANTHROPIC_API_KEY"), 0u);
  EXPECT_EQ(find_adapter_env("no-such-adapter"), nullptr);
}

TEST(EnvPolicy, ConfigAllowAndGrants) {
  Config config = parse_config(
      "[env]\nallow = [\"EDITOR\", \"MY_*\"]\ngrant_secrets = [\"MY_API_KEY\"]\n", "c.toml", {});
  EnvPolicy policy = env_policy_from_config(config, {});
  ChildEnv child = build_child_env(
      {{"EDITOR", "vi"}, {"MY_FLAG", "1"}, {"MY_API_KEY", "k-123"}, {"MY_TOKEN", "t"}}, {},
      metadata(), policy);
  EXPECT_EQ(child.env.count("EDITOR"), 1u);
  EXPECT_EQ(child.env.count("MY_FLAG"), 1u);
  EXPECT_EQ(child.env.count("MY_API_KEY"), 1u);
  EXPECT_EQ(child.env.count("MY_TOKEN"), 0u);
}

TEST(EnvPolicy, InvalidEntriesAreDroppedWithoutEchoingThem) {
  std::string bad_value("bad\0value", 9);
  ChildEnv child =
      build_child_env({{"PATH", bad_value}, {"", "x"}}, {{"BAD_VALUE", bad_value}, {"A=B", "y"}},
                      metadata(), EnvPolicy{});
  EXPECT_EQ(child.env.count("PATH"), 0u);
  EXPECT_EQ(child.env.count("BAD_VALUE"), 0u);
  EXPECT_EQ(child.env.count("A=B"), 0u);
  for (const auto& warning : child.warnings) {
    EXPECT_EQ(warning.find("bad"), std::string::npos) << warning;
    EXPECT_EQ(warning.find("A=B"), std::string::npos) << warning;
  }
  EXPECT_GE(child.warnings.size(), 2u);
}

TEST(EnvPolicy, ForcedMetadataWinsAndPolicyIsCompactJson) {
  RunMetadata forced = metadata();
  forced.provider_policy = Json{{"provider", "claude"}, {"authority", "direct"}};
  forced.capabilities = Json{{"tools", Json::array({"shell"})}};
  forced.extra = {{"HOME", "/tmp/isolated"}, {"OMK_RUN_ID", "sneaky"}};
  ChildEnv child =
      build_child_env({{"HOME", "/home/u"}}, {{"OMK_NODE_ROLE", "admin"}}, forced, EnvPolicy{});
  EXPECT_EQ(child.env.at("OMK_RUN_ID"), "run-1");
  EXPECT_EQ(child.env.at("OMK_NODE_ROLE"), "tester");
  EXPECT_EQ(child.env.at("HOME"), "/tmp/isolated");
  EXPECT_EQ(child.env.at("OMK_NODE_PROVIDER_POLICY"),
            R"({"provider":"claude","authority":"direct"})");
  EXPECT_EQ(child.env.at("OMK_NODE_CAPABILITIES"), R"({"tools":["shell"]})");
  EXPECT_TRUE(std::is_sorted(child.passed.begin(), child.passed.end()));
}

}  // namespace
}  // namespace omk::safety
