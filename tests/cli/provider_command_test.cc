// omk provider list|doctor and omk doctor's provider and sandbox sections, through the binary.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace omk {
namespace {
namespace fs = std::filesystem;

class ProviderCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = tmp_.path() / "project";
    home_ = tmp_.path() / "home";
    bin_ = tmp_.path() / "bin";
    test::git_init(project_);
    fs::create_directories(home_);
    fs::create_directories(bin_);
    // A `codex` that prints a version: installed, not logged in.
    test::write_text(bin_ / "codex", "#!/bin/sh\necho 'codex-cli 0.169.0'\n");
    ::chmod((bin_ / "codex").c_str(), 0755);
  }
  test::CommandResult omk(const std::vector<std::string>& args,
                          std::map<std::string, std::string> env = {}) {
    env.emplace("HOME", home_.string());
    env.emplace("PATH", bin_.string() + ":/usr/bin:/bin");
    env.emplace("XDG_CACHE_HOME", (tmp_.path() / "cache").string());
    for (const char* name : {"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY",
                             "DEEPSEEK_API_KEY", "OMK_PROVIDER", "OMK_AUTHORITY_PROVIDER"}) {
      env.emplace(name, "\x01");
    }
    return test::run_omk(args, project_, env);
  }
  const nlohmann::json& provider(const nlohmann::json& doc, const std::string& id) {
    for (const auto& entry : doc["providers"]) {
      if (entry["id"] == id) return entry;
    }
    throw std::runtime_error("no provider " + id);
  }
  test::TempDir tmp_;
  fs::path project_;
  fs::path home_;
  fs::path bin_;
};

TEST_F(ProviderCommand, ListShowsEveryProviderWithFourHealthAnswers) {
  auto result = omk({"provider", "list", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(test::schema_errors("omk.provider.v1", result.out), "") << result.out;
  auto doc = nlohmann::json::parse(result.out);
  EXPECT_EQ(doc["providers"].size(), 10u);
  const auto& codex = provider(doc, "codex");
  EXPECT_EQ(codex["kind"], "cli");
  EXPECT_EQ(codex["health"]["available"]["status"], "yes");
  EXPECT_EQ(codex["health"]["authenticated"]["status"], "no");
  EXPECT_EQ(codex["healthy"], false);
  EXPECT_EQ(provider(doc, "claude")["health"]["available"]["status"], "no");
  const auto& deepseek = provider(doc, "deepseek");
  EXPECT_EQ(deepseek["kind"], "api");
  EXPECT_EQ(deepseek["capabilities"], nlohmann::json({"read", "review", "streaming"}));

  auto text = omk({"provider", "list"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("not authenticated"), std::string::npos) << text.out;
}

TEST_F(ProviderCommand, DoctorExplainsAndFailsWhenThePolicyDoesNotResolve) {
  auto result = omk({"provider", "doctor", "--json"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(test::schema_errors("omk.provider.v1", result.out), "") << result.out;
  auto doc = nlohmann::json::parse(result.out);
  EXPECT_EQ(doc["policy"]["resolved"], false);
  EXPECT_NE(doc["policy"]["error"].get<std::string>().find("codex: not authenticated"),
            std::string::npos)
      << doc["policy"].dump();

  // Logged in: healthy, and auto resolves to it.
  test::write_text(home_ / ".codex/auth.json", R"({"OPENAI_API_KEY": "sk-test-1234567"})");
  auto healthy = omk({"provider", "doctor", "--json"});
  EXPECT_EQ(healthy.exit_code, 0) << healthy.out;
  auto resolved = nlohmann::json::parse(healthy.out);
  EXPECT_EQ(resolved["policy"]["resolution"]["provider"], "codex");
  auto one = omk({"provider", "doctor", "codex-cli"});
  EXPECT_EQ(one.exit_code, 0) << one.out << one.err;
  EXPECT_NE(one.out.find("[ok] authenticated"), std::string::npos) << one.out;
}

TEST_F(ProviderCommand, AnUnknownProviderIsAUsageError) {
  auto result = omk({"provider", "doctor", "gpt-9"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("unknown provider 'gpt-9'"), std::string::npos) << result.err;
}

TEST_F(ProviderCommand, ARateLimitOnRecordMakesAProviderUnhealthyUntilItsReset) {
  test::write_text(home_ / ".codex/auth.json", R"({"OPENAI_API_KEY": "sk-test-1234567"})");
  test::write_text(project_ / ".omk/state/provider-health.json",
                   R"({"schema": "omk.provider-health.v1", "providers": {"codex": {"rate_limit":
                      {"observed_at_epoch": 1, "reset_at_epoch": 99999999999999999, "reset_known": true,
                       "reason": "HTTP 429"}}}})");
  auto result = omk({"provider", "doctor", "codex", "--json"});
  EXPECT_EQ(result.exit_code, 1);
  auto doc = nlohmann::json::parse(result.out);
  EXPECT_EQ(doc["providers"][0]["health"]["rate_limited"]["status"], "yes");
  // An absurd reset time (a corrupt file) is clamped, not overflowed.
  EXPECT_NE(
      doc["providers"][0]["health"]["rate_limited"]["reason"].get<std::string>().find("2100-01-01"),
      std::string::npos)
      << result.out;
}

TEST_F(ProviderCommand, OmkDoctorHasSandboxAndProviderSectionsAndSaysWhatToFixFirst) {
  auto result = omk({"doctor", "--json"});
  EXPECT_EQ(test::schema_errors("omk.doctor.v1", result.out), "") << result.out;
  auto doc = nlohmann::json::parse(result.out);
  std::vector<std::string> names;
  for (const auto& section : doc["sections"]) names.push_back(section["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"config", "tool-plane", "sandbox", "providers"}));
  ASSERT_TRUE(doc["fix_first"].is_string()) << result.out;
  // No healthy provider (or, on a kernel without Landlock or seccomp, the sandbox) comes first.
  std::string fix_first = doc["fix_first"];
  EXPECT_TRUE(fix_first.rfind("providers:", 0) == 0 || fix_first.rfind("sandbox:", 0) == 0)
      << fix_first;

  test::write_text(project_ / ".omk/config.toml", "[providers.codexx]\nmodel = \"x\"\n");
  auto typo = omk({"doctor"});
  EXPECT_NE(typo.out.find("provider_table_unknown"), std::string::npos) << typo.out;
}

}  // namespace
}  // namespace omk
