// Four-part health without credentials: missing binaries, a fake `codex` on PATH, the real
// pinned CLIs (available, not authenticated), the probe cache, and a 429 that is remembered.
#include <gtest/gtest.h>

#include <ctime>

#include "provider_fixture.h"
#include "providers/health_check.h"
#include "providers/health_state.h"
#include "providers/registry.h"
#include "providers/runner.h"

namespace omk::providers {
namespace {

using test_fixture::Project;

const ProviderStatus& find(const std::vector<ProviderStatus>& statuses, const std::string& id) {
  for (const auto& status : statuses) {
    if (status.adapter->id() == id) return status;
  }
  throw std::runtime_error("no status for " + id);
}

TEST(ProviderHealth, AMissingBinaryIsNotAvailable) {
  Project project;
  auto statuses = check_providers(project.context());
  ASSERT_EQ(statuses.size(), adapters().size());
  for (const char* id : {"codex", "claude", "kimi", "qwen", "gemini", "opencode"}) {
    const auto& status = find(statuses, id);
    EXPECT_TRUE(status.health.available.is_no()) << id;
    EXPECT_NE(status.health.available.reason.find("not found on PATH"), std::string::npos)
        << status.health.available.reason;
    EXPECT_FALSE(status.health.healthy());
  }
}

TEST(ProviderHealth, AFakeCodexOnPathIsAvailableButNotAuthenticated) {
  Project project;
  project.fake_binary("codex", "echo 'codex-cli 0.169.0'\n");
  auto statuses = check_providers(project.context());
  const auto& codex = find(statuses, "codex");
  EXPECT_TRUE(codex.health.available.is_yes()) << codex.health.available.reason;
  EXPECT_EQ(codex.health.version, "0.169.0");
  EXPECT_TRUE(codex.health.authenticated.is_no()) << codex.health.authenticated.reason;
  EXPECT_NE(codex.health.authenticated.reason.find("codex login"), std::string::npos);
  EXPECT_FALSE(codex.health.healthy());
}

TEST(ProviderHealth, LoginFilesAndKeysAnswerAuthenticated) {
  Project project;
  project.fake_binary("codex", "echo 'codex-cli 0.169.0'\n");
  test::write_text(project.home / ".codex/auth.json", R"({"OPENAI_API_KEY": "sk-test-1234567"})");
  project.env["DEEPSEEK_API_KEY"] = "sk-0123456789abcdef0123456789abcdef";
  auto statuses = check_providers(project.context());
  EXPECT_TRUE(find(statuses, "codex").health.authenticated.is_yes());
  EXPECT_TRUE(find(statuses, "codex").health.healthy()) << find(statuses, "codex").health.problem();
  EXPECT_TRUE(find(statuses, "deepseek").health.authenticated.is_yes())
      << find(statuses, "deepseek").health.authenticated.reason;
  project.env["DEEPSEEK_API_KEY"] = "not a key";
  auto bad_key = check_providers(project.context());
  EXPECT_TRUE(find(bad_key, "deepseek").health.authenticated.is_no());
}

TEST(ProviderHealth, AWarmCacheStartsNoProcessAndAnUpgradeIsProbedAgain) {
  Project project;
  project.fake_binary("codex", "echo 'codex-cli 0.169.0'\n");
  auto cold = check_providers(project.context());
  EXPECT_TRUE(find(cold, "codex").probed_now);
  auto warm = check_providers(project.context());
  for (const auto& status : warm) EXPECT_FALSE(status.probed_now) << status.adapter->id();
  EXPECT_EQ(find(warm, "codex").health.version, "0.169.0");
  project.fake_binary("codex", "echo 'codex-cli 0.170.1 (upgraded)'\n");
  auto upgraded = check_providers(project.context());
  EXPECT_TRUE(find(upgraded, "codex").probed_now);
  EXPECT_EQ(find(upgraded, "codex").health.version, "0.170.1");
}

TEST(ProviderHealth, ABinaryThatPrintsNoVersionIsNotAvailable) {
  Project project;
  project.fake_binary("claude", "echo 'no idea' >&2; exit 3\n");
  auto statuses = check_providers(project.context());
  const auto& claude = find(statuses, "claude");
  EXPECT_TRUE(claude.health.available.is_no());
  EXPECT_NE(claude.health.available.reason.find("exited 3"), std::string::npos)
      << claude.health.available.reason;
}

TEST(ProviderHealth, TheRealPinnedClisAreAvailableButNotAuthenticated) {
  std::string path = test_fixture::peers_path();
  if (path.empty()) GTEST_SKIP() << "tests/peers not installed (scripts/bootstrap --tests)";
  Project project;
  project.env["PATH"] = path;
  auto statuses = check_providers(project.context());
  for (const char* id : {"codex", "claude", "kimi", "qwen", "gemini", "opencode"}) {
    const auto& status = find(statuses, id);
    EXPECT_TRUE(status.health.available.is_yes()) << id << ": " << status.health.available.reason;
    EXPECT_FALSE(status.health.version.empty()) << id;
    EXPECT_TRUE(status.health.authenticated.is_no())
        << id << ": " << status.health.authenticated.reason;
    EXPECT_FALSE(status.health.healthy()) << id;
  }
  EXPECT_EQ(find(statuses, "kimi").health.dialect, "kimi-code");
  // --probe runs the CLIs' own status commands: still not logged in.
  HealthOptions probe;
  probe.probe = true;
  probe.only = {"codex", "claude"};
  for (const auto& status : check_providers(project.context(), probe)) {
    EXPECT_TRUE(status.health.authenticated.is_no())
        << status.adapter->id() << ": " << status.health.authenticated.reason;
  }
}

TEST(ProviderHealth, A429FromTheApiIsRateLimitedUntilItsResetTimeAndPersisted) {
  test::ModelServer server(
      R"({"steps": [{"error": {"status": 429, "retry_after": 120, "message": "slow down"}}]})");
  Project project;
  project.config("[providers.openai-compatible]\nbase_url = \"" + server.base_url() +
                 "/v1\"\nmodel = \"fake-model\"\n");
  ProviderContext context = project.context();
  auto first = check_providers(context);
  EXPECT_TRUE(find(first, "openai-compatible").health.healthy())
      << find(first, "openai-compatible").health.problem();

  TurnRequest request;
  request.provider = "openai-compatible";
  request.prompt = "review this";
  request.workspace = project.root;
  request.risk = Risk::kRead;
  request.timeout = std::chrono::milliseconds(60000);
  int64_t before = std::time(nullptr);
  TurnResult result = run_turn(context, request);
  EXPECT_FALSE(result.success);
  EXPECT_EQ(result.failure, FailureCategory::kRateLimited) << result.message;
  ASSERT_TRUE(result.retry_after_s.has_value());
  EXPECT_EQ(*result.retry_after_s, 120);

  EXPECT_TRUE(std::filesystem::exists(HealthState::path_for(project.root)));
  auto record = HealthState::load(project.root).rate_limit("openai-compatible");
  ASSERT_TRUE(record.has_value());
  EXPECT_TRUE(record->reset_known);
  EXPECT_GE(record->reset_at, before + 120);
  auto later = check_providers(project.context());
  const auto& health = find(later, "openai-compatible").health;
  EXPECT_TRUE(health.rate_limited.is_yes()) << health.rate_limited.reason;
  EXPECT_NE(health.rate_limited.reason.find("resets at"), std::string::npos);
  EXPECT_FALSE(health.healthy());
}

}  // namespace
}  // namespace omk::providers
