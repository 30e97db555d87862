#include <gtest/gtest.h>

#include "dag/scheduler.h"
#include "dag/spec_parser.h"

namespace omk::dag {
namespace {

using Outcome = Scheduler::Outcome;

// A spec and its scheduler, with helpers that speak in node ids. No clock: `now` is explicit.
class Fixture {
 public:
  explicit Fixture(const std::string& yaml) {
    auto result = read_spec(yaml, "t.yaml");
    if (!result.spec) throw std::runtime_error(format_problem("t", result.problems.front()));
    spec_ = *result.spec;
    graph_ = build_graph(spec_);
    scheduler_ = std::make_unique<Scheduler>(spec_, graph_);
  }
  Scheduler& s() { return *scheduler_; }
  int id(const std::string& name) const { return spec_.index_of(name); }
  std::vector<std::string> take(int slots, int64_t now = 0) {
    std::vector<std::string> names;
    for (int node : s().take_ready(slots, now)) names.push_back(spec_.nodes[node].id);
    return names;
  }
  void finish(const std::string& name, Outcome outcome, int64_t now = 0) {
    s().finish(id(name), outcome, "", now);
  }
  NodeState state(const std::string& name) { return s().state(id(name)); }

 private:
  DagSpec spec_;
  Graph graph_;
  std::unique_ptr<Scheduler> scheduler_;
};

TEST(Scheduler, RunsInDependencyOrder) {
  Fixture f(R"(
nodes:
  - {id: plan, run: "true"}
  - {id: code, run: "true", depends_on: [plan]}
  - {id: review, run: "true", depends_on: [code]}
)");
  f.s().start();
  EXPECT_EQ(f.take(4), (std::vector<std::string>{"plan"}));
  EXPECT_TRUE(f.take(4).empty()) << "code waits for plan";
  f.finish("plan", Outcome::kDone);
  EXPECT_EQ(f.take(4), (std::vector<std::string>{"code"}));
  f.finish("code", Outcome::kDone);
  EXPECT_EQ(f.take(4), (std::vector<std::string>{"review"}));
  f.finish("review", Outcome::kDone);
  EXPECT_TRUE(f.s().finished());
  EXPECT_EQ(f.s().outcome(), RunStatus::kSucceeded);
}

TEST(Scheduler, PriorityThenDeclarationOrder) {
  Fixture f(R"(
nodes:
  - {id: a, run: "true"}
  - {id: b, run: "true", priority: 5}
  - {id: c, run: "true"}
  - {id: d, run: "true", priority: 5}
  - {id: e, run: "true", priority: -1}
)");
  f.s().start();
  EXPECT_EQ(f.take(10), (std::vector<std::string>{"b", "d", "a", "c", "e"}));
}

TEST(Scheduler, NeverRunsMoreThanTheWorkerLimit) {
  std::string yaml = "nodes:\n";
  for (int i = 0; i < 20; ++i) yaml += "  - {id: n" + std::to_string(i) + ", run: \"true\"}\n";
  Fixture f(yaml);
  f.s().start();
  int peak = 0, started = 0;
  const int workers = 3;
  while (!f.s().finished()) {
    auto taken = f.take(workers - f.s().running());
    started += static_cast<int>(taken.size());
    peak = std::max(peak, f.s().running());
    ASSERT_LE(f.s().running(), workers);
    // Finish one at a time, the oldest first.
    if (!taken.empty() || f.s().running() > 0) {
      for (int i = 0; i < 20; ++i) {
        std::string name = "n" + std::to_string(i);
        if (f.state(name) == NodeState::kRunning) {
          f.finish(name, Outcome::kDone);
          break;
        }
      }
    }
  }
  EXPECT_EQ(peak, workers);
  EXPECT_EQ(started, 20);
}

TEST(Scheduler, RequiredFailureBlocksEverythingDownstream) {
  Fixture f(R"(
nodes:
  - {id: plan, run: "true"}
  - {id: code, run: "true", depends_on: [plan]}
  - {id: review, run: "true", depends_on: [code]}
  - {id: side, run: "true"}
)");
  f.s().start();
  EXPECT_EQ(f.take(4), (std::vector<std::string>{"plan", "side"}));
  auto changes = f.s().finish(f.id("plan"), Outcome::kFailed, "exit 1", 0);
  EXPECT_EQ(f.state("plan"), NodeState::kFailed);
  EXPECT_EQ(f.state("code"), NodeState::kBlocked);
  EXPECT_EQ(f.state("review"), NodeState::kBlocked);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[1].reason, "dependency plan failed");
  EXPECT_FALSE(f.s().finished()) << "side is still running";
  f.finish("side", Outcome::kDone);
  EXPECT_TRUE(f.s().finished());
  EXPECT_EQ(f.s().outcome(), RunStatus::kFailed);
}

TEST(Scheduler, OptionalFailureLetsDependentsRun) {
  Fixture f(R"(
nodes:
  - {id: lint, run: "true", optional: true}
  - {id: build, run: "true", depends_on: [lint]}
)");
  f.s().start();
  EXPECT_EQ(f.take(2), (std::vector<std::string>{"lint"}));
  f.finish("lint", Outcome::kFailed);
  EXPECT_EQ(f.take(2), (std::vector<std::string>{"build"}));
  f.finish("build", Outcome::kDone);
  EXPECT_EQ(f.s().outcome(), RunStatus::kSucceeded) << "optional lanes do not fail the run";
}

TEST(Scheduler, SkippedOptionalLaneCountsAsFinished) {
  Fixture f(R"(
nodes:
  - {id: build, run: "true"}
  - {id: review, kind: agent, prompt: r, optional: true, depends_on: [build]}
  - {id: report, run: "true", depends_on: [review]}
)");
  f.s().start();
  f.take(1);
  f.finish("build", Outcome::kDone);
  f.s().skip(f.id("review"), "no agent runtime");
  EXPECT_EQ(f.state("review"), NodeState::kSkipped);
  EXPECT_EQ(f.take(2), (std::vector<std::string>{"report"}));
  f.finish("report", Outcome::kDone);
  EXPECT_EQ(f.s().outcome(), RunStatus::kSucceeded);
}

TEST(Scheduler, RetriesUpToMaxAttemptsWithDoublingBackoff) {
  Fixture f(R"(
nodes:
  - {id: flaky, run: "true", max_attempts: 3, backoff: 1s}
  - {id: after, run: "true", depends_on: [flaky]}
)");
  f.s().start();
  EXPECT_EQ(f.take(1, 0), (std::vector<std::string>{"flaky"}));
  auto changes = f.s().finish(f.id("flaky"), Outcome::kFailed, "exit 1", 0);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].state, NodeState::kPending);
  EXPECT_EQ(changes[0].retry_at_ms, 1000);
  EXPECT_TRUE(f.take(1, 999).empty()) << "not before the backoff";
  EXPECT_EQ(f.s().next_retry_at(), 1000);
  EXPECT_EQ(f.take(1, 1000), (std::vector<std::string>{"flaky"}));
  EXPECT_EQ(f.s().attempts(f.id("flaky")), 2);
  changes = f.s().finish(f.id("flaky"), Outcome::kFailed, "exit 1", 5000);
  EXPECT_EQ(changes[0].retry_at_ms, 7000) << "second retry waits twice as long";
  EXPECT_EQ(f.take(1, 7000), (std::vector<std::string>{"flaky"}));
  f.finish("flaky", Outcome::kFailed, 8000);
  EXPECT_EQ(f.state("flaky"), NodeState::kFailed) << "three attempts spent";
  EXPECT_EQ(f.state("after"), NodeState::kBlocked);
  EXPECT_EQ(f.s().outcome(), RunStatus::kFailed);
}

TEST(Scheduler, RetrySucceedsAndUnblocksDependents) {
  Fixture f(R"(
nodes:
  - {id: flaky, run: "true", max_attempts: 2, backoff: 0s}
  - {id: after, run: "true", depends_on: [flaky]}
)");
  f.s().start();
  f.take(1);
  f.finish("flaky", Outcome::kFailed);
  EXPECT_EQ(f.take(2), (std::vector<std::string>{"flaky"}));
  f.finish("flaky", Outcome::kDone);
  EXPECT_EQ(f.take(2), (std::vector<std::string>{"after"}));
}

TEST(Scheduler, CancelStopsDispatchAndCancelsPending) {
  Fixture f(R"(
nodes:
  - {id: a, run: "true"}
  - {id: b, run: "true"}
  - {id: c, run: "true", depends_on: [a]}
)");
  f.s().start();
  EXPECT_EQ(f.take(1), (std::vector<std::string>{"a"}));
  f.s().cancel("interrupted");
  EXPECT_EQ(f.state("b"), NodeState::kCancelled);
  EXPECT_EQ(f.state("c"), NodeState::kCancelled);
  EXPECT_TRUE(f.take(4).empty());
  EXPECT_FALSE(f.s().finished());
  f.finish("a", Outcome::kCancelled);
  EXPECT_TRUE(f.s().finished());
  EXPECT_EQ(f.s().outcome(), RunStatus::kCancelled);
}

TEST(Scheduler, ResumeKeepsDoneNodesAndRerunsTheRest) {
  Fixture f(R"(
nodes:
  - {id: a, run: "true"}
  - {id: b, run: "true", depends_on: [a]}
  - {id: c, run: "true", depends_on: [b]}
)");
  f.s().restore(f.id("a"), NodeState::kDone, 1);
  f.s().restore(f.id("b"), NodeState::kRunning, 1);  // was running when omk died
  f.s().restore(f.id("c"), NodeState::kPending, 0);
  f.s().start();
  EXPECT_EQ(f.take(3), (std::vector<std::string>{"b"}));
  EXPECT_EQ(f.s().attempts(f.id("b")), 2);
}

TEST(Scheduler, DiamondWaitsForBothBranches) {
  Fixture f(R"(
nodes:
  - {id: top, run: "true"}
  - {id: left, run: "true", depends_on: [top]}
  - {id: right, run: "true", depends_on: [top]}
  - {id: join, run: "true", depends_on: [left, right]}
)");
  f.s().start();
  f.take(4);
  f.finish("top", Outcome::kDone);
  EXPECT_EQ(f.take(4), (std::vector<std::string>{"left", "right"}));
  f.finish("left", Outcome::kDone);
  EXPECT_TRUE(f.take(4).empty());
  f.finish("right", Outcome::kDone);
  EXPECT_EQ(f.take(4), (std::vector<std::string>{"join"}));
}

}  // namespace
}  // namespace omk::dag
