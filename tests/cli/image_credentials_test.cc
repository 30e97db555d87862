#include "cli/image_credentials.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "secret_corpus.h"

namespace omk::cli {
namespace {

// Keys are generated, never written down (the repository's own secret scan stays clean).
std::string fake(const std::string& pattern, uint64_t seed = 7) {
  return test::TokenGenerator(seed).expand(pattern);
}

std::string project_key() {
  return fake("sk-proj-{u:156}");
}

TEST(ImageKeyRefusal, AcceptsProjectAndServiceAccountKeys) {
  EXPECT_EQ(image_key_refusal(project_key()), std::nullopt);
  EXPECT_EQ(image_key_refusal(fake("sk-svcacct-{u:120}")), std::nullopt);
  EXPECT_EQ(image_key_refusal("  " + project_key() + "\n"), std::nullopt);  // trimmed
}

TEST(ImageKeyRefusal, RefusesCodexAndChatGptLoginTokens) {
  const std::string login = "Codex/ChatGPT OAuth, JWT-like or session token";
  for (const std::string& token :
       {fake("eyJ{u:20}.eyJ{u:60}.{u:43}"), "Bearer " + project_key(), fake("oauth:{a:40}"),
        fake("chatgpt:{a:40}"), fake("sess-{a:40}"), fake("rt_{u:60}"),
        fake("refresh_token={u:60}"), fake("access-token:{u:60}")}) {
    auto refusal = image_key_refusal(token);
    ASSERT_TRUE(refusal) << token;
    EXPECT_NE(refusal->find(login), std::string::npos) << *refusal;
  }
}

TEST(ImageKeyRefusal, RefusesOtherVendorsKeysByTheirRule) {
  struct Case {
    std::string value;
    std::string rule;
  };
  for (const Case& c :
       std::vector<Case>{{fake("sk-ant-api03-{u:93}AA"), "anthropic-api-key"},
                         {fake("sk-{h:32}"), "sk-hex-api-key"},  // DeepSeek, DashScope
                         {fake("sk-or-v1-{h:64}"), "openrouter-api-key"},
                         {fake("ghp_{a:36}"), "github-pat-classic"},
                         {fake("xoxb-{d:12}-{d:13}-{a:24}"), "slack-bot-token"}}) {
    auto refusal = image_key_refusal(c.value);
    ASSERT_TRUE(refusal) << c.rule;
    EXPECT_NE(refusal->find("another vendor"), std::string::npos) << *refusal;
    EXPECT_NE(refusal->find(c.rule), std::string::npos) << *refusal;
    EXPECT_EQ(refusal->find(c.value), std::string::npos);
  }
}

TEST(ImageKeyRefusal, RefusesLegacyAndAdminOpenAiKeys) {
  auto legacy = image_key_refusal(fake("sk-{a:20}T3BlbkFJ{a:20}"));
  ASSERT_TRUE(legacy);
  EXPECT_NE(legacy->find("legacy"), std::string::npos) << *legacy;
  auto admin = image_key_refusal(fake("sk-admin-{u:80}"));
  ASSERT_TRUE(admin);
  EXPECT_NE(admin->find("admin"), std::string::npos) << *admin;
}

TEST(ImageKeyRefusal, RefusesFilesAndCredentialFileContents) {
  for (const char* path : {"~/.codex/auth.json", "/root/.codex/auth.json", "./auth.json",
                           "file:///home/me/.codex/auth.json", "credentials.json"}) {
    auto refusal = image_key_refusal(path);
    ASSERT_TRUE(refusal) << path;
    EXPECT_NE(refusal->find("file"), std::string::npos) << *refusal;
  }
  auto blob = image_key_refusal("{\"OPENAI_API_KEY\": \"" + project_key() + "\"}");
  ASSERT_TRUE(blob);
  EXPECT_NE(blob->find("auth.json"), std::string::npos) << *blob;
}

TEST(ImageKeyRefusal, RefusesMalformedValues) {
  EXPECT_TRUE(image_key_refusal(""));
  EXPECT_TRUE(image_key_refusal("sk-proj-short"));
  EXPECT_TRUE(image_key_refusal("sk-proj-" + std::string(60, 'a')));  // no entropy
  EXPECT_TRUE(image_key_refusal("hunter2"));
  EXPECT_TRUE(image_key_refusal(project_key() + " " + project_key()));
  EXPECT_TRUE(image_key_refusal("OPENAI_API_KEY=" + project_key()));
}

std::string refusal_message(const EnvMap& env, const std::string& name) {
  try {
    image_api_key(env, name);
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ExitCode::kUsage);
    return error.what();
  }
  ADD_FAILURE() << "accepted";
  return {};
}

TEST(ImageApiKey, ReadsTheNamedVariableOnly) {
  std::string key = project_key();
  EXPECT_EQ(image_api_key({{"OPENAI_API_KEY", key}}, "OPENAI_API_KEY").value, key);
  ImageApiKey custom = image_api_key({{"MY_IMAGES_KEY", " " + key + " "}}, "MY_IMAGES_KEY");
  EXPECT_EQ(custom.value, key);
  EXPECT_EQ(custom.env_name, "MY_IMAGES_KEY");
}

TEST(ImageApiKey, MissingOrEmptyNamesTheVariable) {
  std::string missing = refusal_message({}, "OPENAI_API_KEY");
  EXPECT_NE(missing.find("missing: OPENAI_API_KEY is not set"), std::string::npos) << missing;
  EXPECT_NE(missing.find("never reads ~/.codex/auth.json"), std::string::npos) << missing;
  std::string empty = refusal_message({{"K", "  "}}, "K");
  EXPECT_NE(empty.find("K is empty"), std::string::npos) << empty;
}

TEST(ImageApiKey, RefusalNamesTheVariableNotTheValue) {
  std::string token = fake("eyJ{u:20}.eyJ{u:60}.{u:43}");
  std::string message = refusal_message({{"OPENAI_API_KEY", token}}, "OPENAI_API_KEY");
  EXPECT_NE(message.find("OpenAI Platform project API key in OPENAI_API_KEY"), std::string::npos);
  EXPECT_NE(message.find("Codex/ChatGPT"), std::string::npos);
  EXPECT_EQ(message.find(token), std::string::npos);
  EXPECT_EQ(message.find(token.substr(0, 12)), std::string::npos);
}

TEST(ImageApiKey, RefusesBadAndDenylistedVariableNames) {
  std::string key = project_key();
  EXPECT_NE(refusal_message({}, "not a name").find("not an environment variable name"),
            std::string::npos);
  EXPECT_NE(refusal_message({{"GITHUB_TOKEN", key}}, "GITHUB_TOKEN").find("never sends"),
            std::string::npos);
  EXPECT_NE(refusal_message({{"AWS_SECRET_ACCESS_KEY", key}}, "AWS_SECRET_ACCESS_KEY")
                .find("never sends"),
            std::string::npos);
}

}  // namespace
}  // namespace omk::cli
