#include <gtest/gtest.h>

#include "safety/env_names.h"

namespace omk::safety {
namespace {

TEST(EnvNames, SecretLikeNamesTheOriginalMissed) {
  for (const char* name : {"OPENAI_KEY",     "SIGNING_KEY",
                           "ENCRYPTION_KEY", "MASTER_KEY",
                           "SOPS_AGE_KEY",   "PGPASSWORD",
                           "MYSQL_PWD",      "DB_PASSWD",
                           "DATABASE_URL",   "REDIS_URL",
                           "MONGODB_URI",    "AMQP_URL",
                           "SENTRY_DSN",     "SLACK_WEBHOOK_URL",
                           "GITHUB_PAT",     "GITLAB_PAT",
                           "GITHUB_TOKENS",  "JWT",
                           "CREDENTIALS",    "AZURE_STORAGE_CONNECTION_STRING",
                           "DB_PASS",        "SMTP_PASSPHRASE",
                           "JSESSIONID",     "NPM_CONFIG__AUTH"}) {
    EXPECT_TRUE(is_secret_like_name(name)) << name;
  }
}

TEST(EnvNames, SecretLikeNamesTheOriginalCaught) {
  for (const char* name : {"OPENAI_API_KEY", "AUTHORIZATION", "GITHUB_TOKEN", "AUTH_TOKEN",
                           "KIMI_AUTH_TOKEN", "OMK_SECRET_TOKEN", "SECRET_TOKEN", "EXPLICIT_TOKEN",
                           "EXPLICIT_FAKE_SECRET_REGRESSION_TOKEN", "COOKIE", "BEARER",
                           "PRIVATE_KEY", "CLIENT_SECRET", "ID_TOKEN", "SECRET_KEY_BASE"}) {
    EXPECT_TRUE(is_secret_like_name(name)) << name;
  }
}

TEST(EnvNames, MetadataIsNotSecret) {
  for (const char* name : {"XDG_SESSION_TYPE",
                           "DBUS_SESSION_BUS_ADDRESS",
                           "KIMI_SESSION_ID",
                           "OMK_SESSION_ID",
                           "OMK_RUN_ID",
                           "OMK_TOTAL_TOKENS",
                           "MAX_TOKENS",
                           "OPENAI_MAX_OUTPUT_TOKENS",
                           "OMK_NODE_PROVIDER_AUTHORITY",
                           "OMK_VISIBLE_RUNTIME",
                           "OMK_CAPTURE_PATH",
                           "PWD",
                           "OLDPWD",
                           "PATH",
                           "HOME",
                           "TOKENIZERS_PARALLELISM",
                           "TOKEN_URL",
                           "OAUTH_TOKEN_ENDPOINT",
                           "KEY_ID",
                           "SIGNING_KEY_ID",
                           "AUTH_TYPE",
                           "COOKIE_DOMAIN",
                           "PUBLIC_KEY",
                           "STRIPE_PUBLISHABLE_KEY",
                           "PASSWORD_MIN_LENGTH",
                           "KEYBOARD_LAYOUT",
                           "MONKEY",
                           "XAUTHORITY",
                           "GIT_AUTHOR_NAME",
                           "NEO4J_HOST",
                           "TERM_SESSION_ID"}) {
    EXPECT_FALSE(is_secret_like_name(name)) << name;
  }
}

TEST(EnvNames, CamelCaseAndHeaderNames) {
  for (const char* name : {"apiKey", "clientSecret", "accessToken", "x-api-key", "X-Auth-Token",
                           "Proxy-Authorization", "Set-Cookie", "dbPassword"}) {
    EXPECT_TRUE(is_secret_like_name(name)) << name;
  }
  for (const char* name : {"sessionId", "authType", "Content-Type", "userAgent", "baseUrl"}) {
    EXPECT_FALSE(is_secret_like_name(name)) << name;
  }
  EXPECT_EQ(name_words("apiKey"), (std::vector<std::string>{"API", "KEY"}));
  EXPECT_EQ(name_words("HTTPServerToken"), (std::vector<std::string>{"HTTP", "SERVER", "TOKEN"}));
  EXPECT_EQ(name_words("NEO4J_URL"), (std::vector<std::string>{"NEO4J", "URL"}));
}

TEST(EnvNames, Denylist) {
  for (const char* name :
       {"AWS_REGION", "AWS_ACCESS_KEY_ID", "aws_secret_access_key",
        "GOOGLE_APPLICATION_CREDENTIALS", "GITHUB_TOKEN", "GH_TOKEN", "NPM_TOKEN",
        "NODE_AUTH_TOKEN", "SSH_AUTH_SOCK", "KUBECONFIG", "DOTENV_CONFIG_PATH", "MY_DOTENV",
        "APP_ENV_FILE", "SECRETS_ENV_PATH", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_ID",
        "AZURE_TENANT_ID", "AZURE_STORAGE_KEY", "AZURE_OPENAI_API_KEY"}) {
    EXPECT_TRUE(is_denylisted_env_name(name)) << name;
  }
  for (const char* name : {"PATH", "AZURE_OPENAI_ENDPOINT", "GITHUB_ACTIONS", "ENVIRONMENT"}) {
    EXPECT_FALSE(is_denylisted_env_name(name)) << name;
  }
}

TEST(EnvNames, ControlAndInjectionVariables) {
  for (const char* name :
       {"OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV", "OMK_STRICT_KIMI_EXPLICIT_ENV", "OMK_ALLOW_RELEASE",
        "OMK_MCP_ALLOW_WRITE_CONFIG", "OMK_ISOLATED_HOME_AUTH_PATHS", "OMK_DEBUG"}) {
    EXPECT_TRUE(is_control_variable(name)) << name;
  }
  EXPECT_FALSE(is_control_variable("OMK_RUN_ID"));
  for (const char* name : {"LD_PRELOAD", "LD_LIBRARY_PATH", "BASH_ENV", "ENV", "NODE_OPTIONS",
                           "PYTHONSTARTUP", "PYTHONPATH", "PERL5OPT", "GIT_CONFIG_GLOBAL",
                           "GIT_CONFIG_COUNT", "GIT_ASKPASS", "GIT_SSH_COMMAND"}) {
    EXPECT_TRUE(is_code_injection_variable(name)) << name;
  }
  EXPECT_FALSE(is_code_injection_variable("PATH"));
  EXPECT_FALSE(is_code_injection_variable("ENVIRONMENT"));
}

TEST(EnvNames, Patterns) {
  EXPECT_TRUE(matches_name_pattern("LC_*", "LC_ALL"));
  EXPECT_TRUE(matches_name_pattern("FOO", "FOO"));
  EXPECT_FALSE(matches_name_pattern("FOO", "FOO_BAR"));
  EXPECT_FALSE(matches_name_pattern("foo", "FOO"));
  EXPECT_TRUE(matches_any_name_pattern(basic_env_allowlist(), "LC_CTYPE"));
  EXPECT_TRUE(matches_any_name_pattern(basic_env_allowlist(), "TZ"));
  EXPECT_FALSE(matches_any_name_pattern(basic_env_allowlist(), "EDITOR"));
}

}  // namespace
}  // namespace omk::safety
