// Policy resolution: authority set, unset or unhealthy; an API provider for a write task; an
// unknown id. The result is a concrete healthy provider or exit 4 naming every candidate.
#include <gtest/gtest.h>

#include "core/error.h"
#include "provider_fixture.h"
#include "providers/policy.h"
#include "providers/registry.h"

namespace omk::providers {
namespace {

using test_fixture::Project;

// Every provider, healthy only when listed.
std::vector<ProviderStatus> statuses(const std::vector<std::string>& healthy) {
  std::vector<ProviderStatus> out;
  for (const Adapter* adapter : adapters()) {
    ProviderStatus status;
    status.adapter = adapter;
    bool ok = std::find(healthy.begin(), healthy.end(), adapter->id()) != healthy.end();
    status.health.available = ok ? Answer::yes("found") : Answer::no("`x` not found on PATH");
    status.health.authenticated = Answer::yes("logged in");
    status.health.model_supported = Answer::yes("default model");
    status.health.rate_limited = Answer::no("no rate limit recorded");
    out.push_back(status);
  }
  return out;
}

Config config_with(Project& project, const std::string& toml) {
  project.config(toml);
  return project.context().config;
}

int exit_code_of(const std::function<void()>& call, std::string* message = nullptr) {
  try {
    call();
  } catch (const UserError& error) {
    if (message) *message = error.what();
    return static_cast<int>(error.code());
  }
  return 0;
}

const CapabilitySet kWrite = capabilities_for(Risk::kWrite);
const CapabilitySet kRead = capabilities_for(Risk::kRead);

TEST(ProviderPolicy, AuthorityUnsetIsTheFirstHealthyWriteCapableCli) {
  Project project;
  Config config = config_with(project, "");
  auto resolution = resolve_policy("authority", kWrite, statuses({"qwen", "gemini"}), config);
  EXPECT_EQ(resolution.provider, "qwen");
  EXPECT_NE(resolution.how.find("first healthy write-capable CLI"), std::string::npos);
  // codex, claude and kimi were considered and rejected, each with its reason.
  ASSERT_GE(resolution.candidates.size(), 4u);
  EXPECT_EQ(resolution.candidates[0].id, "codex");
  EXPECT_FALSE(resolution.candidates[0].accepted);
  EXPECT_NE(resolution.candidates[0].reason.find("not available"), std::string::npos);
  for (const char* alias : {"primary", "omk", " Authority "}) {
    EXPECT_EQ(resolve_policy(alias, kWrite, statuses({"qwen"}), config).provider, "qwen");
  }
}

TEST(ProviderPolicy, AuthoritySetInConfigOrEnvironmentWins) {
  Project project;
  Config config = config_with(project, "[runtime]\nauthority = \"claude-code\"\n");
  auto resolution = resolve_policy("authority", kWrite, statuses({"codex", "claude"}), config);
  EXPECT_EQ(resolution.provider, "claude");
  EXPECT_NE(resolution.how.find("[runtime] authority"), std::string::npos);
  project.env["OMK_AUTHORITY_PROVIDER"] = "gemini";
  Config from_env = project.context().config;
  auto env_resolution = resolve_policy("omk", kWrite, statuses({"claude", "gemini"}), from_env);
  EXPECT_EQ(env_resolution.provider, "gemini");
  EXPECT_NE(env_resolution.how.find("OMK_AUTHORITY_PROVIDER"), std::string::npos);
  // auto prefers the configured authority too.
  EXPECT_EQ(resolve_policy("auto", kWrite, statuses({"codex", "gemini"}), from_env).provider,
            "gemini");
}

TEST(ProviderPolicy, AnUnhealthyAuthorityIsAHardErrorNotASilentSubstitute) {
  Project project;
  Config config = config_with(project, "[runtime]\nauthority = \"codex\"\n");
  std::string message;
  int code = exit_code_of(
      [&] { resolve_policy("authority", kWrite, statuses({"claude"}), config); }, &message);
  EXPECT_EQ(code, 4);
  EXPECT_NE(message.find("codex: not available"), std::string::npos) << message;
  EXPECT_NE(message.find("omk provider doctor"), std::string::npos) << message;
}

TEST(ProviderPolicy, NothingHealthyListsEveryCandidateWithItsReason) {
  Project project;
  Config config = config_with(project, "");
  std::string message;
  EXPECT_EQ(exit_code_of([&] { resolve_policy("auto", kWrite, statuses({}), config); }, &message),
            4);
  for (const Adapter* adapter : adapters()) {
    EXPECT_NE(message.find("\n  " + adapter->id() + ": "), std::string::npos)
        << adapter->id() << " missing from: " << message;
  }
}

TEST(ProviderPolicy, ApiProvidersNeverTakeAWriteTask) {
  Project project;
  Config config = config_with(project, "");
  std::string message;
  EXPECT_EQ(
      exit_code_of([&] { resolve_policy("deepseek", kWrite, statuses({"deepseek"}), config); },
                   &message),
      4);
  EXPECT_NE(message.find("read/review/advisory only"), std::string::npos) << message;
  EXPECT_EQ(exit_code_of([&] {
              resolve_policy("auto", capabilities_for(Risk::kShell),
                             statuses({"deepseek", "moonshot"}), config);
            }),
            4);
  // A read task may go to the API.
  EXPECT_EQ(resolve_policy("ds", kRead, statuses({"deepseek"}), config).provider, "deepseek");
  EXPECT_EQ(resolve_policy("auto", kRead, statuses({"deepseek"}), config).provider, "deepseek");
}

TEST(ProviderPolicy, AnUnknownIdIsAUsageError) {
  Project project;
  Config config = config_with(project, "");
  std::string message;
  EXPECT_EQ(
      exit_code_of([&] { resolve_policy("gpt-9", kWrite, statuses({"codex"}), config); }, &message),
      2);
  EXPECT_NE(message.find("unknown provider 'gpt-9'"), std::string::npos) << message;
  EXPECT_NE(message.find("codex, claude"), std::string::npos) << message;
  Config bad = config_with(project, "[runtime]\nauthority = \"nobody\"\n");
  EXPECT_EQ(exit_code_of([&] { resolve_policy("authority", kWrite, statuses({"codex"}), bad); }),
            2);
}

TEST(ProviderPolicy, ADisabledOrRateLimitedProviderIsRejected) {
  Project project;
  Config config = config_with(project, "[providers.codex]\nenabled = false\n");
  auto list = statuses({"codex", "claude"});
  for (auto& status : list) status.settings.enabled = status.adapter->id() != "codex";
  list[1].health.rate_limited = Answer::yes("HTTP 429; resets at 2099-01-01T00:00:00Z");
  std::string message;
  EXPECT_EQ(exit_code_of([&] { resolve_policy("claude", kWrite, list, config); }, &message), 4);
  EXPECT_NE(message.find("rate-limited"), std::string::npos) << message;
  EXPECT_EQ(exit_code_of([&] { resolve_policy("codex", kWrite, list, config); }, &message), 4);
  EXPECT_NE(message.find("disabled"), std::string::npos) << message;
}

}  // namespace
}  // namespace omk::providers
