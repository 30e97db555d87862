// Property: for random environments and policies, no value of a dropped variable appears
// anywhere in the built environment or in the audit record.
#include <gtest/gtest.h>

#include <random>

#include "safety/env_policy.h"
#include "secret_corpus.h"

namespace omk::safety {
namespace {

const std::vector<std::string>& name_pool() {
  static const std::vector<std::string> names = {"PATH",
                                                 "HOME",
                                                 "LANG",
                                                 "LC_ALL",
                                                 "TERM",
                                                 "USER",
                                                 "SHELL",
                                                 "TMPDIR",
                                                 "CI",
                                                 "TZ",
                                                 "EDITOR",
                                                 "PAGER",
                                                 "MY_SETTING",
                                                 "APP_MODE",
                                                 "FEATURE_FLAGS",
                                                 "HTTPS_PROXY",
                                                 "NO_PROXY",
                                                 "OPENAI_API_KEY",
                                                 "ANTHROPIC_API_KEY",
                                                 "GITHUB_TOKEN",
                                                 "GH_TOKEN",
                                                 "NPM_TOKEN",
                                                 "AWS_REGION",
                                                 "AWS_SECRET_ACCESS_KEY",
                                                 "AZURE_CLIENT_SECRET",
                                                 "KUBECONFIG",
                                                 "SSH_AUTH_SOCK",
                                                 "DOTENV_PATH",
                                                 "DATABASE_URL",
                                                 "REDIS_URL",
                                                 "PGPASSWORD",
                                                 "MYSQL_PWD",
                                                 "SENTRY_DSN",
                                                 "SLACK_WEBHOOK_URL",
                                                 "JWT",
                                                 "CREDENTIALS",
                                                 "SESSION_SECRET",
                                                 "MAX_TOKENS",
                                                 "XDG_SESSION_TYPE",
                                                 "KIMI_SESSION_ID",
                                                 "LD_PRELOAD",
                                                 "NODE_OPTIONS",
                                                 "GIT_ASKPASS",
                                                 "OMK_DEBUG",
                                                 "OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV",
                                                 "OMK_ALLOW_RELEASE",
                                                 "OMK_EXECUTION",
                                                 "OMK_CAPTURE_PATH",
                                                 "KIMI_BIN",
                                                 "CODEX_HOME",
                                                 "DEEPSEEK_API_KEY",
                                                 "DEEPSEEK_MODEL"};
  return names;
}

// Values are unique and long, so finding one inside another value is never a coincidence.
std::string random_value(test::TokenGenerator& gen, const std::vector<test::SecretCase>& cases) {
  std::string marker = "v" + gen.random("abcdefghijklmnopqrstuvwxyz0123456789", 18);
  switch (gen.below(4)) {
    case 0: {
      const auto& c = cases[gen.below(cases.size())];
      return gen.expand(c.tp[gen.below(c.tp.size())]) + marker;
    }
    case 1:
      return "http://user:" + marker + "@proxy.local:3128";
    default:
      return marker;
  }
}

std::vector<std::string> random_subset(test::TokenGenerator& gen) {
  std::vector<std::string> out;
  for (const std::string& name : name_pool()) {
    if (gen.below(6) == 0) out.push_back(name);
  }
  if (gen.below(3) == 0) out.push_back("MY_*");
  return out;
}

TEST(EnvProperty, DroppedValuesNeverLeak) {
  auto cases = test::load_secret_cases(test::secret_cases_file());
  test::TokenGenerator gen(4242);
  for (int round = 0; round < 300; ++round) {
    EnvMap parent;
    EnvMap explicit_env;
    for (const std::string& name : name_pool()) {
      if (gen.below(2) == 0) parent[name] = random_value(gen, cases);
      if (gen.below(5) == 0) explicit_env[name] = random_value(gen, cases);
    }
    EnvPolicy policy;
    policy.allow = random_subset(gen);
    policy.grant_secrets = random_subset(gen);
    policy.trust_explicit_secrets = gen.below(3) == 0;
    policy.strict_explicit = gen.below(3) == 0;
    RunMetadata forced{"run", "node", "role", std::nullopt, std::nullopt, {}};
    ChildEnv child = build_child_env(parent, explicit_env, forced, policy);

    std::string audit;
    for (const auto& name : child.passed) audit += name + "\n";
    for (const auto& name : child.granted) audit += name + "\n";
    for (const auto& warning : child.warnings) audit += warning + "\n";
    for (const auto& d : child.dropped) audit += d.name + " " + d.rule + "\n";
    for (const DroppedVariable& d : child.dropped) {
      const EnvMap& source = d.source == EnvSource::kParent ? parent : explicit_env;
      const std::string& value = source.at(d.name);
      // A value's unique marker is its tail; the leading shape may repeat across values.
      std::string marker = value.substr(value.size() - 19, 19);
      if (value.rfind("http://user:", 0) == 0) marker = value.substr(12, 19);
      for (const auto& [name, kept] : child.env) {
        ASSERT_EQ(kept.find(marker), std::string::npos)
            << "round " << round << ": dropped " << d.name << " (" << to_string(d.reason)
            << ") leaked into " << name;
      }
      ASSERT_EQ(audit.find(marker), std::string::npos) << "round " << round << ": " << d.name;
    }
    for (const auto& [name, value] : child.env) {
      EXPECT_FALSE(name.rfind("OMK_TRUST_", 0) == 0 || name.rfind("OMK_ALLOW_", 0) == 0 ||
                   name == "OMK_DEBUG")
          << name;
      EXPECT_NE(name, "GITHUB_TOKEN");
      EXPECT_NE(name, "AWS_REGION");
    }
  }
}

}  // namespace
}  // namespace omk::safety
