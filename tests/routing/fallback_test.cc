#include <gtest/gtest.h>

#include "git_fixture.h"
#include "routing/fallback.h"

namespace omk::routing {
namespace {

using testing::make_repo;

AttemptResult failed() {
  return {TurnOutcome::kFailed, EvidenceResult::kNone, 1, "exit 1"};
}
AttemptResult succeeded() {
  return {TurnOutcome::kSucceeded, EvidenceResult::kPassed, 0, "ok"};
}

TEST(FallbackRule, Verdicts) {
  WorkspaceChange clean{true, false, false, {}, ""};
  WorkspaceChange dirty{true, true, false, {"a.cc", "b.cc"}, ""};
  WorkspaceChange unknown{false, false, false, {}, "not a git work tree"};
  FallbackPolicy strict;
  FallbackPolicy retry{true};
  EXPECT_EQ(after_failed_attempt("codex", false, dirty, strict).step, FallbackStep::kTryNext);
  EXPECT_EQ(after_failed_attempt("codex", true, clean, strict).step, FallbackStep::kTryNext);
  FallbackVerdict stop = after_failed_attempt("codex", true, dirty, strict);
  EXPECT_EQ(stop.step, FallbackStep::kStop);
  EXPECT_NE(stop.reason.find("codex failed after changing the workspace (a.cc, b.cc)"),
            std::string::npos);
  EXPECT_EQ(after_failed_attempt("codex", true, dirty, retry).step,
            FallbackStep::kRetryOnCleanWorktree);
  // Unknown is treated as changed, and no clean worktree can be promised without git.
  EXPECT_EQ(after_failed_attempt("codex", true, unknown, retry).step, FallbackStep::kStop);
}

TEST(Fallback, ReadOnlyTurnsFallBackFreely) {
  test::TempDir dir;
  EvidenceHistory history(dir.path() / "h.db");
  std::vector<std::string> tried;
  FallbackOptions options{dir.path(), Risk::kRead, false, {}, &history, "chat-1", "turn-1"};
  FallbackRun run = run_with_fallback({"a", "b", "c"}, options, [&](const std::string& id) {
    tried.push_back(id);
    return id == "c" ? succeeded() : failed();
  });
  EXPECT_TRUE(run.succeeded);
  EXPECT_EQ(*run.runtime, "c");
  EXPECT_EQ(tried, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(run.attempts.size(), 3u);
  // Every attempt was recorded for the next turn's scores.
  EXPECT_EQ(history.stats("a").turns, 1);
  EXPECT_EQ(history.stats("a").passed, 0);
  EXPECT_EQ(history.stats("c").passed, 1);
}

TEST(Fallback, WriteTurnThatFailedWithoutChangesFallsBack) {
  test::TempDir dir;
  make_repo(dir.path());
  std::vector<std::string> tried;
  FallbackOptions options{dir.path(), Risk::kWrite, true, {}, nullptr, "", ""};
  FallbackRun run = run_with_fallback({"a", "b"}, options, [&](const std::string& id) {
    tried.push_back(id);
    if (id == "b") test::write_text(dir.path() / "fixed.txt", "done\n");
    return id == "b" ? succeeded() : failed();
  });
  EXPECT_TRUE(run.succeeded);
  EXPECT_EQ(tried, (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(run.attempts[0].change);
  EXPECT_FALSE(run.attempts[0].change->changed);
}

TEST(Fallback, StopsAfterAFailedWriteThatChangedTheWorkspace) {
  test::TempDir dir;
  make_repo(dir.path());
  EvidenceHistory history(dir.path() / ".omk" / "history.db");
  std::vector<std::string> tried;
  FallbackOptions options{dir.path(), Risk::kWrite, true, {}, &history, "chat-1", "turn-2"};
  FallbackRun run = run_with_fallback({"a", "b"}, options, [&](const std::string& id) {
    tried.push_back(id);
    test::write_text(dir.path() / "README.md", "half-applied edit by " + id + "\n");
    return failed();
  });
  EXPECT_FALSE(run.succeeded);
  EXPECT_TRUE(run.stopped_on_change);
  EXPECT_FALSE(run.needs_clean_worktree);
  EXPECT_EQ(tried, (std::vector<std::string>{"a"}));  // b never ran on top of a's edit
  ASSERT_EQ(run.attempts.size(), 1u);
  EXPECT_EQ(run.attempts[0].next, FallbackStep::kStop);
  EXPECT_EQ(run.attempts[0].change->paths, (std::vector<std::string>{"README.md"}));
  EXPECT_NE(run.reason.find("a failed after changing the workspace (README.md)"),
            std::string::npos);
  EXPECT_EQ(history.stats("a").turns, 1);
}

TEST(Fallback, PolicyMayAllowARetryOnACleanWorktree) {
  test::TempDir dir;
  make_repo(dir.path());
  FallbackOptions options{dir.path(), Risk::kShell, true, {true}, nullptr, "", ""};
  FallbackRun run = run_with_fallback({"a", "b"}, options, [&](const std::string&) {
    test::write_text(dir.path() / "partial.txt", "x\n");
    return failed();
  });
  EXPECT_FALSE(run.succeeded);
  EXPECT_TRUE(run.needs_clean_worktree);
  EXPECT_EQ(run.attempts.size(), 1u);
  EXPECT_EQ(run.attempts[0].next, FallbackStep::kRetryOnCleanWorktree);
}

TEST(Fallback, FailedEvidenceGatesAreAFailure) {
  test::TempDir dir;
  FallbackOptions options{dir.path(), Risk::kRead, false, {}, nullptr, "", ""};
  FallbackRun run = run_with_fallback({"a", "b"}, options, [&](const std::string& id) {
    if (id == "a") return AttemptResult{TurnOutcome::kSucceeded, EvidenceResult::kFailed, 0, ""};
    return succeeded();
  });
  EXPECT_EQ(*run.runtime, "b");
}

TEST(Fallback, OutsideGitAWriteFailureStops) {
  test::TempDir dir;  // not a repository: omk cannot tell what changed
  int calls = 0;
  FallbackOptions options{dir.path(), Risk::kWrite, true, {true}, nullptr, "", ""};
  FallbackRun run = run_with_fallback({"a", "b"}, options, [&](const std::string&) {
    ++calls;
    return failed();
  });
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(run.stopped_on_change);
  EXPECT_NE(run.reason.find("cannot tell"), std::string::npos);
}

TEST(Fallback, EveryRuntimeFailing) {
  test::TempDir dir;
  FallbackOptions options{dir.path(), Risk::kRead, false, {}, nullptr, "", ""};
  FallbackRun run =
      run_with_fallback({"a", "b"}, options, [](const std::string&) { return failed(); });
  EXPECT_FALSE(run.succeeded);
  EXPECT_EQ(run.reason, "every runtime failed (2 tried)");
  EXPECT_EQ(run_with_fallback({}, options, [](const std::string&) { return failed(); }).reason,
            "no runtime to try");
}

}  // namespace
}  // namespace omk::routing
