#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/error.h"
#include "routing/evidence_history.h"
#include "test_support.h"

namespace omk::routing {
namespace {

OutcomeRecord outcome(const std::string& runtime, Risk risk, TurnOutcome result,
                      EvidenceResult evidence = EvidenceResult::kNone) {
  OutcomeRecord r;
  r.runtime = runtime;
  r.risk = risk;
  r.outcome = result;
  r.evidence = evidence;
  r.run_id = "chat-1";
  r.node_id = "turn-1";
  r.duration_ms = 12;
  return r;
}

TEST(EvidenceHistory, RecordsAndCountsPassRates) {
  test::TempDir dir;
  EvidenceHistory history(EvidenceHistory::default_path(dir.path()));
  EXPECT_EQ(history.path(), dir.path() / ".omk" / "history.db");
  history.record(outcome("codex", Risk::kWrite, TurnOutcome::kSucceeded, EvidenceResult::kPassed));
  history.record(outcome("codex", Risk::kWrite, TurnOutcome::kSucceeded, EvidenceResult::kFailed));
  history.record(outcome("codex", Risk::kRead, TurnOutcome::kSucceeded));
  history.record(outcome("codex", Risk::kShell, TurnOutcome::kTimedOut));
  history.record(outcome("claude", Risk::kWrite, TurnOutcome::kFailed));

  RuntimeStats all = history.stats("codex");
  EXPECT_EQ(all.turns, 4);
  EXPECT_EQ(all.passed, 2);  // a failed evidence gate is not a pass
  RuntimeStats writes = history.stats("codex", Risk::kWrite);
  EXPECT_EQ(writes.turns, 2);
  EXPECT_EQ(writes.passed, 1);
  EXPECT_EQ(history.stats("claude").passed, 0);
  EXPECT_EQ(history.stats("nobody").turns, 0);
}

TEST(EvidenceHistory, RecentFailuresNewestFirst) {
  test::TempDir dir;
  EvidenceHistory history(dir.path() / "h.db");
  for (int i = 0; i < 12; ++i) {
    OutcomeRecord r =
        outcome("kimi", Risk::kRead, i < 4 ? TurnOutcome::kFailed : TurnOutcome::kSucceeded);
    r.node_id = "n" + std::to_string(i);
    history.record(r);
  }
  // The first four failures fell out of the last-10 window partly: turns 2..11 hold 2 failures.
  EXPECT_EQ(history.recent_failures("kimi", 10), 2);
  EXPECT_EQ(history.recent_failures("kimi", 12), 4);
  std::vector<OutcomeRecord> failures = history.failures("kimi", 3);
  ASSERT_EQ(failures.size(), 3u);
  EXPECT_EQ(failures[0].node_id, "n3");
  EXPECT_EQ(failures[2].node_id, "n1");
  EXPECT_EQ(failures[0].outcome, TurnOutcome::kFailed);
  EXPECT_EQ(failures[0].run_id, "chat-1");
  EXPECT_EQ(failures[0].duration_ms, 12);
  EXPECT_FALSE(failures[0].finished_at.empty());
}

TEST(EvidenceHistory, PersistsAcrossOpensAndIsPrivate) {
  test::TempDir dir;
  auto path = EvidenceHistory::default_path(dir.path());
  {
    EvidenceHistory history(path);
    history.record(outcome("codex", Risk::kRead, TurnOutcome::kSucceeded));
  }
  EvidenceHistory reopened(path);
  EXPECT_EQ(reopened.stats("codex").turns, 1);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(EvidenceHistory, TwoWritersShareOneDatabase) {
  test::TempDir dir;
  auto path = dir.path() / "shared.db";
  EvidenceHistory a(path);
  EvidenceHistory b(path);
  a.record(outcome("codex", Risk::kRead, TurnOutcome::kSucceeded));
  b.record(outcome("codex", Risk::kRead, TurnOutcome::kFailed));
  EXPECT_EQ(a.stats("codex").turns, 2);
  EXPECT_EQ(b.recent_failures("codex"), 1);
}

TEST(EvidenceHistory, UnusableFileIsAClearError) {
  test::TempDir dir;
  auto path = dir.path() / "history.db";
  test::write_text(path, std::string(4096, 'x'));  // not a database
  try {
    EvidenceHistory history(path);
    FAIL() << "expected UserError";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
}

TEST(EvidenceHistory, NamesRoundTrip) {
  for (TurnOutcome o : {TurnOutcome::kSucceeded, TurnOutcome::kFailed, TurnOutcome::kTimedOut,
                        TurnOutcome::kCancelled, TurnOutcome::kRefused}) {
    EXPECT_EQ(parse_turn_outcome(to_string(o)), o);
  }
  for (EvidenceResult e :
       {EvidenceResult::kNone, EvidenceResult::kPassed, EvidenceResult::kFailed}) {
    EXPECT_EQ(parse_evidence_result(to_string(e)), e);
  }
}

}  // namespace
}  // namespace omk::routing
