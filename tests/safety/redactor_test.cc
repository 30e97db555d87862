#include <gtest/gtest.h>

#include <random>

#include "core/output.h"
#include "safety/redact_stream.h"
#include "safety/redactor.h"
#include "safety/secret_detect.h"
#include "secret_corpus.h"

namespace omk::safety {
namespace {

// Made-up tokens of real shapes, generated once per run.
std::vector<std::string> sample_secrets() {
  test::TokenGenerator gen(77);
  std::vector<std::string> out;
  for (const char* tmpl :
       {"ghp_{a:36}", "sk-proj-{u:60}", "AKIA{3:16}", "xoxb-{d:12}-{d:13}-{a:24}",
        "eyJ{u:20}.eyJ{u:40}.{u:43}", "glpat-{a:20}", "AIza{a:35}", "sk-ant-api03-{u:50}AA"}) {
    out.push_back(gen.expand(tmpl));
  }
  return out;
}

std::string stream_through(const Redactor& redactor, const std::vector<std::string_view>& chunks) {
  auto filter = redactor.stream();
  std::string out;
  for (std::string_view chunk : chunks) out += filter->feed(chunk);
  out += filter->finish();
  return out;
}

TEST(Redactor, ReplacesSecretsWithTheRuleId) {
  Redactor redactor(builtin_matcher(), {});
  std::string token = sample_secrets()[0];
  EXPECT_EQ(redactor.redact("export GH=" + token + "\n"),
            "export GH=[REDACTED:github-pat-classic]\n");
  // Only the secret group goes: the name stays readable.
  EXPECT_EQ(redactor.redact("DATABASE_URL=postgres://app:S3cretPassw0rd@db:5432/x"),
            "DATABASE_URL=postgres://app:[REDACTED:url-credentials]@db:5432/x");
  EXPECT_EQ(redactor.redact("nothing to see"), "nothing to see");
  EXPECT_EQ(redactor.redact(""), "");
}

TEST(Redactor, KnownValuesAreRedactedLiterally) {
  auto known = known_secrets_from_env({{"MY_PASSWORD", "correct horse battery"},
                                       {"PATH", "/usr/bin:/bin"},
                                       {"SHORT_TOKEN", "abc"},
                                       {"INNOCENT", "ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5"}});
  ASSERT_EQ(known.size(), 2u);
  Redactor redactor(builtin_matcher(), known);
  EXPECT_EQ(redactor.redact("pw is correct horse battery."), "pw is [REDACTED:env:MY_PASSWORD].");
  EXPECT_EQ(redactor.redact("PATH=/usr/bin:/bin"), "PATH=/usr/bin:/bin");
}

TEST(Redactor, PrivateKeyWithoutItsEndLine) {
  Redactor redactor(builtin_matcher(), {});
  test::TokenGenerator gen(5);
  std::string body = gen.expand("{pem:4}");
  std::string truncated = "key:\n-----BEGIN OPENSSH PRIVATE KEY-----\n" + body + "\n(truncated)\n";
  std::string out = redactor.redact(truncated);
  EXPECT_EQ(out.find(body.substr(0, 64)), std::string::npos) << out;
  EXPECT_NE(out.find("[REDACTED:private-key]"), std::string::npos);
  EXPECT_NE(out.find("(truncated)"), std::string::npos);
}

TEST(Redactor, SecretSplitAtEveryOffsetIsCaught) {
  Redactor redactor(builtin_matcher(), {{"env:API_PASSWORD", "Tr0ub4dor&3-horse"}});
  auto secrets = sample_secrets();
  secrets.push_back("Tr0ub4dor&3-horse");
  for (const std::string& secret : secrets) {
    std::string text = "line one\nvalue: " + secret + " trailing words\nlast line\n";
    std::string expected = redactor.redact(text);
    ASSERT_EQ(expected.find(secret), std::string::npos);
    for (size_t cut = 0; cut <= text.size(); ++cut) {
      std::string_view all(text);
      std::string out = stream_through(redactor, {all.substr(0, cut), all.substr(cut)});
      ASSERT_EQ(out, expected) << "secret " << secret.substr(0, 8) << "... split at " << cut;
    }
  }
}

TEST(Redactor, ByteByByteAndThreeWaySplits) {
  Redactor redactor(builtin_matcher(), {});
  auto secrets = sample_secrets();
  std::string text;
  for (const std::string& s : secrets) text += "token = \"" + s + "\"\n";
  std::string expected = redactor.redact(text);
  std::vector<std::string_view> bytes;
  for (size_t i = 0; i < text.size(); ++i) bytes.push_back(std::string_view(text).substr(i, 1));
  EXPECT_EQ(stream_through(redactor, bytes), expected);
  std::string_view all(text);
  for (size_t a = 0; a < text.size(); a += 7) {
    for (size_t b = a; b < text.size(); b += 13) {
      ASSERT_EQ(stream_through(redactor, {all.substr(0, a), all.substr(a, b - a), all.substr(b)}),
                expected);
    }
  }
}

TEST(Redactor, PrivateKeyAcrossChunks) {
  Redactor redactor(builtin_matcher(), {});
  test::TokenGenerator gen(9);
  std::string body = gen.expand("{pem:20}");
  std::string text = "before\n-----BEGIN RSA PRIVATE KEY-----\n" + body +
                     "\n-----END RSA PRIVATE KEY-----\nafter\n";
  std::string_view all(text);
  for (size_t cut = 0; cut <= text.size(); cut += 11) {
    std::string out = stream_through(redactor, {all.substr(0, cut), all.substr(cut)});
    ASSERT_EQ(out.find(body.substr(100, 40)), std::string::npos) << "cut " << cut;
    ASSERT_NE(out.find("after"), std::string::npos);
  }
}

TEST(Redactor, EndlessPrivateKeyIsSwallowed) {
  Redactor redactor(builtin_matcher(), {});
  test::TokenGenerator gen(10);
  auto filter = redactor.stream();
  std::string out = filter->feed("log start\n-----BEGIN PRIVATE KEY-----\n");
  std::string sample;
  for (int i = 0; i < 3000; ++i) {
    std::string line =
        gen.random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 64);
    if (i == 2500) sample = line;
    out += filter->feed(line + "\n");
  }
  out += filter->feed("-----END PRIVATE KEY-----\nlog end\n");
  out += filter->finish();
  EXPECT_EQ(out.find(sample), std::string::npos);
  EXPECT_NE(out.find("log start"), std::string::npos);
  EXPECT_NE(out.find("[REDACTED:private-key]"), std::string::npos);
  EXPECT_NE(out.find("log end"), std::string::npos);
  EXPECT_LT(out.size(), 200u);
}

TEST(Redactor, TenMegabyteLine) {
  Redactor redactor(builtin_matcher(), {});
  auto secrets = sample_secrets();
  std::string line;
  line.reserve(10 << 20);
  test::TokenGenerator gen(11);
  while (line.size() < (10u << 20)) {
    line += gen.random("abcdefghij klmnop", 4096);
    line += " " + secrets[line.size() % secrets.size()] + " ";
  }
  std::string whole = redactor.redact(line);
  for (const std::string& s : secrets) ASSERT_EQ(whole.find(s), std::string::npos);

  auto filter = redactor.stream();
  std::string out;
  size_t max_chunk_out = 0;
  for (size_t at = 0; at < line.size(); at += 65536) {
    std::string piece = filter->feed(std::string_view(line).substr(at, 65536));
    max_chunk_out = std::max(max_chunk_out, piece.size());
    out += piece;
  }
  out += filter->finish();
  for (const std::string& s : secrets) ASSERT_EQ(out.find(s), std::string::npos);
  EXPECT_GT(out.size(), line.size() / 2);
  EXPECT_GT(max_chunk_out, 0u);  // a line without newlines is still released as it grows
}

TEST(Redactor, BinaryInput) {
  Redactor redactor(builtin_matcher(), {});
  std::mt19937 rng(3);
  std::string data;
  for (int i = 0; i < 200000; ++i) data += static_cast<char>(rng() & 0xff);
  std::string secret = sample_secrets()[0];
  data.insert(100000, " " + secret + " ");
  std::string out = redactor.redact(data);
  EXPECT_EQ(out.find(secret), std::string::npos);
  std::string streamed;
  auto filter = redactor.stream();
  for (size_t at = 0; at < data.size(); at += 4093) {
    streamed += filter->feed(std::string_view(data).substr(at, 4093));
  }
  streamed += filter->finish();
  EXPECT_EQ(streamed.find(secret), std::string::npos);
  EXPECT_GE(streamed.size(), data.size() - secret.size());
}

TEST(Redactor, FinishResetsTheFilter) {
  Redactor redactor(builtin_matcher(), {});
  auto filter = redactor.stream();
  EXPECT_EQ(filter->feed("Password: "), "");  // held: no newline yet
  EXPECT_EQ(filter->finish(), "Password: ");
  std::string secret = sample_secrets()[1];
  EXPECT_EQ(filter->feed(secret + "\n"), "[REDACTED:openai-project-key]\n");
  EXPECT_EQ(filter->finish(), "");
}

TEST(Redactor, InstalledAsTheOutputFilter) {
  install_redactor({{"OMK_TEST_SECRET_TOKEN", "s3cr3t-v4lue-xyz"}});
  const Redactor& redactor = installed_redactor();
  EXPECT_EQ(filter_output("x s3cr3t-v4lue-xyz y"), "x [REDACTED:env:OMK_TEST_SECRET_TOKEN] y");
  auto stream = make_stream_filter();
  std::string out = stream->feed("a " + sample_secrets()[0] + "\n") + stream->finish();
  EXPECT_EQ(out, "a [REDACTED:github-pat-classic]\n");
  EXPECT_GT(redactor.lookbehind(), 0u);
  set_output_filter(nullptr);
  set_stream_filter_factory(nullptr);
}

}  // namespace
}  // namespace omk::safety
