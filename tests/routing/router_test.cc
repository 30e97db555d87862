#include <gtest/gtest.h>

#include "routing/router.h"
#include "routing/turn_policy.h"
#include "test_support.h"

namespace omk::routing {
namespace {

const CapabilitySet kCli = {Capability::kRead,  Capability::kReview, Capability::kWrite,
                            Capability::kPatch, Capability::kShell,  Capability::kToolCalling};
const CapabilitySet kApi = {Capability::kRead, Capability::kReview, Capability::kStreaming};

std::vector<Candidate> registry() {
  return {
      {"codex", true, "", kCli, 0.7, false},
      {"claude", true, "", kCli, 0.7, false},
      {"deepseek", true, "", kApi, 0.6, true},
      {"gemini", false, "not authenticated: run gemini auth", kCli, 0.9, false},
  };
}

OutcomeRecord turn(const std::string& runtime, TurnOutcome outcome, EvidenceResult evidence) {
  OutcomeRecord r;
  r.runtime = runtime;
  r.risk = Risk::kWrite;
  r.outcome = outcome;
  r.evidence = evidence;
  return r;
}

RouteRequest request(Risk risk, std::optional<std::string> preferred = std::nullopt) {
  return {risk, turn_capabilities(risk), std::move(preferred)};
}

const CandidateScore* find(const RouteDecision& d, const std::string& id) {
  for (const CandidateScore& s : d.candidates) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

TEST(Router, WithoutHistoryRanksByQualityThenId) {
  RouteDecision d = route(request(Risk::kWrite), registry(), nullptr);
  ASSERT_TRUE(d.selected);
  EXPECT_EQ(*d.selected, "claude");  // equal scores: the id decides, the same on every run
  EXPECT_EQ(d.fallback_order, (std::vector<std::string>{"claude", "codex"}));
  EXPECT_DOUBLE_EQ(find(d, "codex")->score, 0.57);  // .35·.7 + .35·.5 + .3·.5
  EXPECT_EQ(find(d, "codex")->history_turns, 0);
}

TEST(Router, CapabilityAndHealthFilterWithReasons) {
  RouteDecision d = route(request(Risk::kShell), registry(), nullptr);
  const CandidateScore* gemini = find(d, "gemini");
  ASSERT_NE(gemini, nullptr);
  EXPECT_FALSE(gemini->eligible);
  EXPECT_EQ(gemini->rejected_reason, "not healthy: not authenticated: run gemini auth");
  const CandidateScore* deepseek = find(d, "deepseek");
  EXPECT_FALSE(deepseek->eligible);
  EXPECT_NE(deepseek->rejected_reason.find("advisory runtime"), std::string::npos);
  // Nobody here can merge.
  RouteDecision merge = route(request(Risk::kMerge), registry(), nullptr);
  EXPECT_FALSE(merge.selected);
  EXPECT_EQ(find(merge, "codex")->rejected_reason, "lacks merge");
  EXPECT_EQ(merge.reason, "no runtime can take a merge turn (needs write, patch, shell, merge)");
  // A read turn may go to the advisory runtime when it ranks best.
  RouteDecision read = route(request(Risk::kRead), registry(), nullptr);
  EXPECT_TRUE(find(read, "deepseek")->eligible);
}

TEST(Router, HistoryMovesTheRanking) {
  test::TempDir dir;
  EvidenceHistory history(dir.path() / "h.db");
  for (int i = 0; i < 4; ++i) {
    history.record(turn("claude", TurnOutcome::kFailed, EvidenceResult::kNone));
    history.record(turn("codex", TurnOutcome::kSucceeded, EvidenceResult::kPassed));
  }
  RouteDecision d = route(request(Risk::kWrite), registry(), &history);
  EXPECT_EQ(*d.selected, "codex");
  const CandidateScore* claude = find(d, "claude");
  EXPECT_DOUBLE_EQ(claude->failure_penalty, 0.24);
  EXPECT_EQ(claude->history_turns, 4);
  EXPECT_DOUBLE_EQ(claude->pass_rate, 1.0 / 6.0);
  EXPECT_LT(claude->score, find(d, "codex")->score);
  EXPECT_NE(d.reason.find("codex: score"), std::string::npos);
}

TEST(Router, EvidenceGateFailuresCount) {
  test::TempDir dir;
  EvidenceHistory history(dir.path() / "h.db");
  for (int i = 0; i < 3; ++i) {
    // Claude "succeeded" but its evidence gates failed every time.
    history.record(turn("claude", TurnOutcome::kSucceeded, EvidenceResult::kFailed));
  }
  RouteDecision d = route(request(Risk::kWrite), registry(), &history);
  EXPECT_EQ(*d.selected, "codex");
}

TEST(Router, PreferenceIsHonouredAndNeverSilentlyReplaced) {
  RouteDecision d = route(request(Risk::kWrite, "codex"), registry(), nullptr);
  EXPECT_EQ(*d.selected, "codex");
  EXPECT_EQ(d.fallback_order, (std::vector<std::string>{"codex"}));
  EXPECT_EQ(find(d, "claude")->rejected_reason, "not the requested provider (codex)");

  RouteDecision sick = route(request(Risk::kWrite, "gemini"), registry(), nullptr);
  EXPECT_FALSE(sick.selected);
  EXPECT_NE(sick.reason.find("no runtime can take a write turn"), std::string::npos);
  EXPECT_EQ(find(sick, "gemini")->rejected_reason,
            "not healthy: not authenticated: run gemini auth");

  RouteDecision unknown = route(request(Risk::kRead, "qwen"), registry(), nullptr);
  EXPECT_FALSE(unknown.selected);
  EXPECT_EQ(unknown.reason, "the requested provider qwen is not configured or detected");
}

TEST(Router, PreferredAdvisoryRuntimeRunsReadOnly) {
  RouteDecision d = route(request(Risk::kWrite, "deepseek"), registry(), nullptr);
  ASSERT_TRUE(d.selected);
  EXPECT_EQ(*d.selected, "deepseek");
  EXPECT_TRUE(d.advisory_downgrade);
  EXPECT_NE(d.reason.find("advisory: runs read-only"), std::string::npos);
  // The caller then asks for the advisory policy.
  TurnPolicy p = turn_policy({Risk::kWrite, std::nullopt, Execution::kAsk, d.advisory_downgrade});
  EXPECT_EQ(p.capabilities, CapabilitySet({Capability::kRead, Capability::kReview}));
}

TEST(Router, TraceAsJson) {
  RouteDecision d = route(request(Risk::kWrite), registry(), nullptr);
  Json trace = to_json(d);
  EXPECT_EQ(trace["risk"], "write");
  EXPECT_EQ(trace["selected"], "claude");
  EXPECT_TRUE(trace["preferred"].is_null());
  ASSERT_EQ(trace["candidates"].size(), 4u);
  EXPECT_EQ(trace["candidates"][0]["id"], "claude");
  EXPECT_TRUE(trace["candidates"][0]["rejected_reason"].is_null());
  EXPECT_TRUE(trace["candidates"][3]["score"].is_null());
  EXPECT_TRUE(trace["candidates"][3]["rejected_reason"].is_string());
  EXPECT_EQ(trace["fallback_order"].size(), 2u);
}

TEST(Router, NoCandidates) {
  RouteDecision d = route(request(Risk::kRead), {}, nullptr);
  EXPECT_FALSE(d.selected);
  EXPECT_EQ(d.reason, "no runtime is configured or detected");
}

}  // namespace
}  // namespace omk::routing
