#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "safety/secret_detect.h"
#include "safety/secret_matcher.h"
#include "safety/secret_text.h"
#include "secret_corpus.h"

namespace omk::safety {
namespace {

std::string rule_of(const SecretMatch& m) {
  return builtin_matcher().rules().rules[m.rule].id;
}

TEST(SecretMatcher, EntropyGatesPlaceholders) {
  EXPECT_TRUE(builtin_matcher().find("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").empty());
  EXPECT_NEAR(shannon_entropy("aaaa"), 0.0, 1e-9);
  EXPECT_NEAR(shannon_entropy("abcd"), 2.0, 1e-9);
  EXPECT_EQ(shannon_entropy(""), 0.0);
}

TEST(SecretMatcher, SpecificRuleWinsOverGenericOnTheSameSecret) {
  std::string text = "token = \"ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5\"";
  auto found = builtin_matcher().find(text);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(rule_of(found[0]), "github-pat-classic");
}

TEST(SecretMatcher, SpansAndManyMatchesInOneText) {
  test::TokenGenerator gen(1);
  std::string text;
  std::vector<std::string> tokens;
  for (int i = 0; i < 500; ++i) {
    tokens.push_back(gen.expand("ghp_{a:36}"));
    text += "line " + std::to_string(i) + " value " + tokens.back() + "\n";
  }
  auto found = builtin_matcher().find(text);
  ASSERT_EQ(found.size(), tokens.size());
  for (size_t i = 0; i < found.size(); ++i) {
    EXPECT_EQ(text.substr(found[i].secret_start, found[i].secret_end - found[i].secret_start),
              tokens[i]);
  }
}

TEST(SecretMatcher, MultiLinePrivateKeyInALargeFile) {
  test::TokenGenerator gen(2);
  std::string filler;
  while (filler.size() < 200000) filler += "some ordinary text line here\n";
  std::string key = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + gen.expand("{pem:40}") +
                    "\n-----END OPENSSH PRIVATE KEY-----";
  std::string text = filler + key + "\n" + filler;
  auto found = builtin_matcher().find(text);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(rule_of(found[0]), "private-key-openssh");
  EXPECT_EQ(found[0].secret_start, filler.size());
  EXPECT_EQ(found[0].secret_end, filler.size() + key.size());
}

TEST(SecretMatcher, NearMissKeyBlockDoesNotSwallowALaterKey) {
  test::TokenGenerator gen(3);
  std::string doc = "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n";
  std::string key =
      "-----BEGIN PRIVATE KEY-----\n" + gen.expand("{pem:8}") + "\n-----END PRIVATE KEY-----";
  std::string text = doc + "some prose\n" + key + "\n";
  auto found = builtin_matcher().find(text);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].secret_start, text.find(key));
}

TEST(SecretMatcher, LongLinesAndBinaryBytes) {
  std::string line(3 << 20, 'q');
  std::string token = "xoxb-123456789012-1234567890123-Ab3dE5gH7jK9mN1pQ3sT5vX7";
  std::string padded = " " + token + " ";
  line.replace(2 << 20, padded.size(), padded);
  line[100] = '\0';
  line[200] = '\xff';
  auto found = builtin_matcher().find(line);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(rule_of(found[0]), "slack-bot-token");
}

TEST(SecretMatcher, DetectSecretForOtherLayers) {
  auto found = detect_secret("sk-proj-Zk8vQm2LpX9rTa4Nw7Ye1Bc5Hd3Jf6Gs0KuVb2Xn8Mq4Rt6Lp9Wz");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->rule_id, "openai-project-key");
  EXPECT_FALSE(found->description.empty());
  EXPECT_FALSE(is_secret_value("${OPENAI_API_KEY}"));
  EXPECT_FALSE(is_secret_value("hello world"));
  EXPECT_TRUE(is_secret_value("Bearer token: sk-ant-api03-Zk8vQm2LpX9rTa4Nw7Ye1Bc5Hd3Jf6Gs0Ku"));
}

TEST(SecretMatcher, ConcurrentUse) {
  std::string text = "a ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5 b\n";
  std::vector<std::thread> threads;
  std::atomic<int> total{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) total += static_cast<int>(builtin_matcher().find(text).size());
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(total.load(), 800);
}

}  // namespace
}  // namespace omk::safety
