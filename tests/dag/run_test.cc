#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "dag_fixture.h"

namespace omk::test {
namespace {
namespace fs = std::filesystem;

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 0777;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::vector<std::string> event_types(const std::vector<JsonDoc>& events, const std::string& node) {
  std::vector<std::string> out;
  for (const auto& event : events) {
    if (event.value("node", "") == node) out.push_back(event["type"]);
  }
  return out;
}

TEST(Run, RecordsAPrivateCompleteRunThatValidates) {
  DagProject project;
  auto result = project.run_pipeline(R"(
goal: two lanes
nodes:
  - id: build
    run: echo building; echo warning >&2
    evidence:
      - command: "true"
  - id: test
    run: [sh, -c, "echo testing"]
    depends_on: [build]
)");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  std::string run = project.latest_run();
  fs::path dir = project.run_dir(run);
  EXPECT_EQ(mode_of(dir), 0700u);
  EXPECT_EQ(mode_of(dir / "lanes" / "build"), 0700u);
  for (const char* name : {"run.json", "state.json", "events.jsonl", "evidence.jsonl",
                           "decisions.jsonl", "harness.json", "lanes/build/stdout.log",
                           "lanes/build/stderr.log", "lanes/build/result.json"}) {
    EXPECT_EQ(mode_of(dir / name), 0600u) << name;
  }
  EXPECT_EQ(schema_errors("omk.run-manifest.v1", read_text(dir / "run.json")), "");
  EXPECT_EQ(schema_errors("omk.run-state.v1", read_text(dir / "state.json")), "");
  EXPECT_EQ(schema_errors("omk.harness.v1", read_text(dir / "harness.json")), "");
  EXPECT_EQ(schema_errors("omk.lane-result.v1", read_text(dir / "lanes/build/result.json")), "");
  for (const auto& event : project.events(run)) {
    EXPECT_EQ(schema_errors("omk.event.v1", event.dump()), "") << event.dump();
  }
  for (const auto& record : project.evidence(run)) {
    EXPECT_EQ(schema_errors("omk.evidence.v1", record.dump()), "") << record.dump();
  }
  EXPECT_NE(read_text(dir / "lanes/build/stdout.log").find("building"), std::string::npos);
  EXPECT_NE(read_text(dir / "lanes/build/stderr.log").find("warning"), std::string::npos);
  auto manifest = JsonDoc::parse(read_text(dir / "run.json"));
  EXPECT_EQ(manifest["status"], "succeeded");
  EXPECT_EQ(manifest["base_commit"], project.git({"rev-parse", "HEAD"}).substr(0, 40));
  EXPECT_EQ(manifest["spec"]["schema"], "omk.dag.v1");
  // Run records stay out of git.
  EXPECT_EQ(project.git({"status", "--porcelain", "--", ".omk"}), "");
  EXPECT_EQ(event_types(project.events(run), "build"),
            (std::vector<std::string>{"node.started", "gate.finished", "node.finished"}));
}

TEST(Run, RunStateStaysOutOfGitEvenWithoutInitsIgnoreLines) {
  DagProject project;
  project.write(".gitignore", "");
  project.commit("no ignore lines");
  auto run = project.run_pipeline("nodes: [{id: lane, worktree: true, run: \"echo x > x.txt\"}]\n");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const auto& line :
       lines_of(project.git({"status", "--porcelain", "--untracked-files=all"}))) {
    EXPECT_EQ(line.find(".omk/runs"), std::string::npos) << line;
    EXPECT_EQ(line.find(".omk/worktrees"), std::string::npos) << line;
  }
}

TEST(Run, JsonStreamsOneEventPerLine) {
  DagProject project;
  auto result = project.run_pipeline("nodes: [{id: a, run: \"true\"}]\n", {"--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto lines = lines_of(result.out);
  ASSERT_GE(lines.size(), 4u);
  for (const auto& line : lines) EXPECT_EQ(schema_errors("omk.event.v1", line), "") << line;
  EXPECT_EQ(JsonDoc::parse(lines.front())["type"], "run.started");
  EXPECT_EQ(JsonDoc::parse(lines.back())["type"], "run.finished");
  EXPECT_EQ(JsonDoc::parse(lines.back())["data"]["status"], "succeeded");
}

// Each lane appends "start X" and "end X" to trace.txt in the project, and waits until two
// lanes have started: with two workers the first two must overlap, and no third may join them.
TEST(Run, RunsExactlyAsManyLanesAtOnceAsThereAreWorkers) {
  DagProject project;
  std::string yaml = "defaults: {timeout: 2m}\nnodes:\n";
  for (int i = 0; i < 5; ++i) {
    yaml += "  - id: n" + std::to_string(i) +
            "\n    run: |\n      echo start $OMK_NODE_ID >> trace.txt\n"
            "      until [ $(grep -c start trace.txt) -ge 2 ]; do sleep 0.02; done\n"
            "      echo end $OMK_NODE_ID >> trace.txt\n";
  }
  auto result = project.run_pipeline(yaml, {"--workers", "2"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  int running = 0, peak = 0;
  auto trace = lines_of(project.read("trace.txt"));
  ASSERT_EQ(trace.size(), 10u);
  for (const auto& line : trace) {
    running += line.rfind("start", 0) == 0 ? 1 : -1;
    peak = std::max(peak, running);
  }
  EXPECT_EQ(peak, 2);
}

TEST(Run, OneWorkerRunsByPriorityThenDeclarationOrder) {
  DagProject project;
  auto result = project.run_pipeline(R"(
nodes:
  - {id: a, run: "echo $OMK_NODE_ID >> order.txt"}
  - {id: b, run: "echo $OMK_NODE_ID >> order.txt", priority: 10}
  - {id: c, run: "echo $OMK_NODE_ID >> order.txt", depends_on: [a]}
  - {id: d, run: "echo $OMK_NODE_ID >> order.txt", priority: 10}
)",
                                     {"--workers", "1"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(lines_of(project.read("order.txt")), (std::vector<std::string>{"b", "d", "a", "c"}));
}

TEST(Run, RetriesAFailingLaneAndRecordsEveryAttempt) {
  DagProject project;
  auto result = project.run_pipeline(R"(
nodes:
  - id: flaky
    max_attempts: 3
    backoff: 0s
    run: |
      n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count
      [ $n -ge 2 ]
)");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  std::string run = project.latest_run();
  auto node = project.node(run, "flaky");
  EXPECT_EQ(node["state"], "done");
  ASSERT_EQ(node["attempts"].size(), 2u);
  EXPECT_EQ(node["attempts"][0]["outcome"], "failed");
  EXPECT_EQ(node["attempts"][0]["exit_code"], 1);
  EXPECT_EQ(node["attempts"][1]["outcome"], "done");
  EXPECT_EQ(event_types(project.events(run), "flaky"),
            (std::vector<std::string>{"node.started", "node.finished", "node.retry", "node.started",
                                      "node.finished"}));
  auto decisions = read_jsonl(project.run_dir(run) / "decisions.jsonl");
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0]["kind"], "retry-policy");
  EXPECT_EQ(schema_errors("omk.decision.v1", decisions[0].dump()), "");
}

TEST(Run, ATimedOutLaneFailsWithExit124) {
  DagProject project;
  auto result = project.run_pipeline(R"(
nodes:
  - {id: slow, run: "sleep 60 & sleep 60", timeout: 1s}
  - {id: next, run: "true", depends_on: [slow]}
)");
  EXPECT_EQ(result.exit_code, 1);
  std::string run = project.latest_run();
  auto slow = project.node(run, "slow");
  EXPECT_EQ(slow["state"], "failed");
  EXPECT_EQ(slow["attempts"][0]["outcome"], "timeout");
  EXPECT_EQ(slow["attempts"][0]["exit_code"], 124);
  EXPECT_EQ(slow["reason"], "timed out after 1s");
  EXPECT_EQ(project.node(run, "next")["state"], "blocked");
}

TEST(Run, RequiredFailureBlocksDependentsAndOptionalFailureDoesNot) {
  DagProject project;
  auto result = project.run_pipeline(R"(
nodes:
  - {id: broken, run: "exit 3"}
  - {id: after_broken, run: "true", depends_on: [broken]}
  - {id: further, run: "true", depends_on: [after_broken]}
  - {id: lint, run: "exit 1", optional: true}
  - {id: after_lint, run: "true", depends_on: [lint]}
  - {id: alone, run: "true"}
)");
  EXPECT_EQ(result.exit_code, 1);
  auto state = project.state(project.latest_run());
  std::map<std::string, std::string> states, reasons;
  for (const auto& node : state["nodes"]) {
    states[node["id"]] = node["state"];
    reasons[node["id"]] = node.value("reason", "");
  }
  EXPECT_EQ(states["broken"], "failed");
  EXPECT_EQ(reasons["broken"], "exit 3 exited 3");
  EXPECT_EQ(states["after_broken"], "blocked");
  EXPECT_EQ(states["further"], "blocked");
  EXPECT_EQ(reasons["further"], "dependency broken failed");
  EXPECT_EQ(states["lint"], "failed");
  EXPECT_EQ(states["after_lint"], "done");
  EXPECT_EQ(states["alone"], "done");
  EXPECT_EQ(state["run"]["status"], "failed");
}

TEST(Run, OptionalAgentLaneIsSkippedWithTheReason) {
  DagProject project;
  auto result = project.run_pipeline(R"(
nodes:
  - {id: build, run: "true"}
  - id: review
    kind: agent
    prompt: Review the diff
    provider: auto
    optional: true
    depends_on: [build]
  - {id: report, run: "true", depends_on: [review]}
)");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string run = project.latest_run();
  auto review = project.node(run, "review");
  EXPECT_EQ(review["state"], "skipped");
  // (No agent CLI or key in the test's environment: the router's reason.)
  EXPECT_NE(review["reason"].get<std::string>().find("no agent runtime can take this lane"),
            std::string::npos)
      << review.dump();
  EXPECT_EQ(project.node(run, "report")["state"], "done");
  auto decisions = read_jsonl(project.run_dir(run) / "decisions.jsonl");
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0]["kind"], "skip-policy");
}

TEST(Run, RequiredAgentLaneIsRefusedBeforeAnythingRuns) {
  DagProject project;
  auto result = project.run_pipeline(R"(
nodes:
  - {id: build, run: "touch built"}
  - {id: implement, kind: agent, prompt: Write it}
)");
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_NE(result.err.find("implement: no agent runtime can take this lane"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("optional: true"), std::string::npos);
  EXPECT_TRUE(project.run_ids().empty());
  EXPECT_FALSE(fs::exists(project.root() / "built"));
}

TEST(Run, AGoalWithoutAPipelineNeedsAnAgent) {
  DagProject project;
  // Under ask with no terminal the plan could not be approved: refused before planning.
  auto refused = project.omk({"run", "add a README"});
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_NE(refused.err.find("--execution auto"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--dry-run"), std::string::npos) << refused.err;
  // With no agent runtime the planner lane cannot run.
  auto result = project.omk({"run", "add a README", "--execution", "auto"});
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_NE(result.err.find("plan: no agent runtime can take this lane"), std::string::npos)
      << result.err;
  EXPECT_TRUE(project.run_ids().empty());
  EXPECT_EQ(project.omk({"run", "missing.yaml"}).exit_code, 2);
}

TEST(Run, InvalidPipelineIsRefusedWithEveryProblem) {
  DagProject project;
  auto result =
      project.run_pipeline("nodes:\n  - {id: a, run: x, depends_on: [b]}\n  - {id: a, run: y}\n");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("pipeline.yaml:2:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("pipeline.yaml:3:"), std::string::npos) << result.err;
  EXPECT_TRUE(project.run_ids().empty());
}

TEST(Run, SandboxCapIsAPolicyRefusal) {
  DagProject project;
  auto result = project.run_pipeline("nodes: [{id: a, run: \"true\", sandbox: full-access}]\n");
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("a asks for full-access"), std::string::npos) << result.err;
}

TEST(Run, DryRunShowsThePlanAndRunsNothing) {
  DagProject project;
  auto result = project.run_pipeline(R"(
nodes:
  - {id: a, run: "touch ran"}
  - {id: b, run: "true", depends_on: [a], worktree: true}
  - {id: r, kind: agent, prompt: x, optional: true}
)",
                                     {"--dry-run", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(schema_errors("omk.run-plan.v1", result.out), "");
  auto plan = JsonDoc::parse(result.out);
  // By wave, then declaration order.
  ASSERT_EQ(plan["nodes"].size(), 3u);
  EXPECT_EQ(plan["nodes"][0]["id"], "a");
  EXPECT_EQ(plan["nodes"][1]["id"], "r");
  EXPECT_EQ(plan["nodes"][1]["action"], "skip");
  EXPECT_EQ(plan["nodes"][2]["id"], "b");
  EXPECT_EQ(plan["nodes"][2]["wave"], 1);
  EXPECT_EQ(plan["nodes"][2]["workspace"], ".omk/worktrees/<run>/b");
  EXPECT_FALSE(fs::exists(project.root() / "ran"));
  EXPECT_TRUE(project.run_ids().empty());
}

TEST(Run, LaneLogsAreRedacted) {
  DagProject project;
  std::string token = planted_token();
  auto result = project.run_pipeline("nodes: [{id: leak, run: \"echo " + token + "\"}]\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string log = read_text(project.run_dir(project.latest_run()) / "lanes/leak/stdout.log");
  EXPECT_EQ(log.find(token), std::string::npos) << log;
  EXPECT_NE(log.find("[REDACTED:"), std::string::npos) << log;
}

}  // namespace
}  // namespace omk::test
