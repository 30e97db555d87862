#include <gtest/gtest.h>

#include "core/error.h"
#include "dag/duration.h"
#include "dag/spec_json.h"
#include "dag/spec_parser.h"

namespace omk::dag {
namespace {

DagSpec parse(const std::string& text) {
  auto result = read_spec(text, "test.yaml");
  if (!result.spec) {
    std::string all;
    for (const auto& p : result.problems) all += format_problem("test.yaml", p) + "\n";
    ADD_FAILURE() << all;
    return {};
  }
  return *result.spec;
}

TEST(Duration, ParsesUnitsAndBareSeconds) {
  EXPECT_EQ(parse_duration_ms("250ms"), 250);
  EXPECT_EQ(parse_duration_ms("30s"), 30000);
  EXPECT_EQ(parse_duration_ms("1h30m"), 5400000);
  EXPECT_EQ(parse_duration_ms("45"), 45000);
  EXPECT_FALSE(parse_duration_ms("soon"));
  EXPECT_FALSE(parse_duration_ms("5d"));
  EXPECT_FALSE(parse_duration_ms(""));
  EXPECT_FALSE(parse_duration_ms("m"));
  EXPECT_EQ(format_duration_ms(5400000), "1h30m");
  EXPECT_EQ(format_duration_ms(250), "250ms");
}

TEST(Spec, DefaultsFollowKindAndRisk) {
  auto spec = parse(R"(
nodes:
  - id: build
    run: make
  - id: impl
    kind: agent
    prompt: write the code
  - id: review
    kind: agent
    role: reviewer
    prompt: review it
  - id: scan
    kind: builtin
    run: secrets-scan
)");
  ASSERT_EQ(spec.nodes.size(), 4u);
  const auto& build = spec.nodes[0];
  EXPECT_EQ(build.kind, NodeKind::kCommand);
  EXPECT_EQ(build.risk, "shell");
  EXPECT_EQ(build.sandbox, "workspace-write");
  EXPECT_FALSE(build.worktree);
  EXPECT_FALSE(build.network);
  EXPECT_EQ(build.max_attempts, 1);
  EXPECT_TRUE(build.run.shell);
  EXPECT_EQ(build.run.argv, (std::vector<std::string>{"sh", "-c", "make"}));
  const auto& impl = spec.nodes[1];
  EXPECT_EQ(impl.risk, "write");
  EXPECT_TRUE(impl.worktree) << "write-capable agent lanes get a worktree";
  EXPECT_EQ(impl.provider, "auto");
  const auto& review = spec.nodes[2];
  EXPECT_EQ(review.risk, "read");
  EXPECT_EQ(review.sandbox, "read-only");
  EXPECT_FALSE(review.worktree);
  EXPECT_EQ(spec.nodes[3].builtin, "secrets-scan");
  EXPECT_EQ(spec.nodes[3].sandbox, "read-only");
}

TEST(Spec, DefaultsSectionAppliesUnlessTheNodeSaysOtherwise) {
  auto spec = parse(R"(
defaults:
  timeout: 90s
  max_attempts: 3
  env: {A: "1", B: "2"}
  worktree: true
nodes:
  - id: a
    run: [make]
  - id: b
    run: [make]
    timeout: 5s
    env: {B: "3"}
    worktree: false
)");
  EXPECT_EQ(spec.nodes[0].timeout_ms, 90000);
  EXPECT_EQ(spec.nodes[0].max_attempts, 3);
  EXPECT_TRUE(spec.nodes[0].worktree);
  EXPECT_EQ(spec.nodes[1].timeout_ms, 5000);
  EXPECT_FALSE(spec.nodes[1].worktree);
  EXPECT_EQ(spec.nodes[1].env, (std::map<std::string, std::string>{{"A", "1"}, {"B", "3"}}));
}

TEST(Spec, NormalisedJsonReadsBackToTheSameSpecAndHash) {
  auto spec = parse(R"(
goal: ship it
nodes:
  - id: build
    run: make
    evidence:
      - command: [make, check]
      - tests: {run: make test, tap: out.tap}
      - file_exists: [hello, README]
      - diff: {allow: ["src/**"]}
      - secrets_clean: true
  - id: review
    kind: agent
    prompt: review
    depends_on: [build]
  - id: ship
    run: "true"
    depends_on: [review]
    evidence:
      - review: {by: review}
)");
  Json json = spec_to_json(spec);
  EXPECT_EQ(json["schema"], "omk.dag.v1");
  DagSpec again = spec_from_json(json, "run.json");
  EXPECT_EQ(spec_to_json(again), json);
  EXPECT_EQ(spec_hash(again), spec_hash(spec));
  EXPECT_EQ(again.nodes[0].evidence.size(), 5u);
  EXPECT_EQ(again.nodes[2].evidence[0].review_by, "review");
}

TEST(Spec, HashIgnoresFormattingButNotMeaning) {
  auto a = parse("nodes:\n  - id: x\n    run: make\n");
  auto b = parse("nodes: [{id: x, run: make, max_attempts: 1}]\n");
  auto c = parse("nodes: [{id: x, run: make all}]\n");
  EXPECT_EQ(spec_hash(a), spec_hash(b));
  EXPECT_NE(spec_hash(a), spec_hash(c));
  EXPECT_EQ(spec_hash(a).rfind("sha256:", 0), 0u);
}

TEST(Spec, ReportsEveryProblemAtOnceInFileOrder) {
  auto result = read_spec(R"(
nodes:
  - id: a
    run: make
    depends_on: [zz]
  - id: a
    run: make
    timeout: never
)",
                          "p.yaml");
  ASSERT_EQ(result.problems.size(), 3u);
  EXPECT_LT(result.problems[0].mark.line, result.problems[1].mark.line);
  EXPECT_LT(result.problems[1].mark.line, result.problems[2].mark.line);
  try {
    require_valid(result, "p.yaml");
    FAIL() << "expected a UserError";
  } catch (const UserError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("p.yaml:5:"), std::string::npos) << message;
    EXPECT_NE(message.find("3 problems"), std::string::npos) << message;
    EXPECT_EQ(error.code(), ExitCode::kUsage);
  }
}

}  // namespace
}  // namespace omk::dag
