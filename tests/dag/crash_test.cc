#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <thread>

#include "dag_fixture.h"

namespace omk::test {
namespace {
namespace fs = std::filesystem;

// Lane "one" then "two"; each says it is running (a marker file) and then waits for the test to
// let it go (a go-file), so the test can kill omk at a moment it chooses.
constexpr const char* kPipeline = R"(
defaults: {timeout: 5m}
nodes:
  - id: one
    run: |
      touch one.running
      until [ -e one.go ]; do sleep 0.02; done
      echo one >> done.txt
  - id: two
    depends_on: [one]
    run: |
      touch two.running
      until [ -e two.go ]; do sleep 0.02; done
      echo two >> done.txt
    evidence:
      - command: |
          touch gate.running
          until [ -e gate.go ]; do sleep 0.02; done
  - id: three
    depends_on: [two]
    run: echo three >> done.txt
)";

void expect_no_temp_files(const fs::path& dir) {
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos)
        << "left behind: " << entry.path();
  }
}

// `temp_files_allowed`: a kill -9 in the middle of an atomic write may leave its temporary file
// (never a half-written record); the next omk holding the run removes it.
void expect_readable_records(DagProject& project, const std::string& run,
                             bool temp_files_allowed = false) {
  fs::path dir = project.run_dir(run);
  EXPECT_EQ(schema_errors("omk.run-manifest.v1", read_text(dir / "run.json")), "");
  EXPECT_EQ(schema_errors("omk.run-state.v1", read_text(dir / "state.json")), "");
  if (!temp_files_allowed) expect_no_temp_files(dir);
}

std::string status_of(DagProject& project, const std::string& run) {
  auto listing = JsonDoc::parse(project.omk({"runs", "--json"}).out);
  for (const auto& entry : listing["runs"]) {
    if (entry["id"] == run) return entry["status"];
  }
  return "absent";
}

// kill -9 at `marker`, check the run is interrupted and consistent, then resume to the end.
void crash_at(const std::string& marker, const std::vector<std::string>& release_before) {
  SCOPED_TRACE("kill -9 while " + marker);
  DagProject project;
  project.write("pipeline.yaml", kPipeline);
  for (const auto& go : release_before) project.write(go, "");
  BackgroundOmk omk(project.root(), {"run", "pipeline.yaml", "--workers", "1"});
  ASSERT_TRUE(wait_for_file(project.root() / marker)) << omk.output();
  omk.signal(SIGKILL);
  EXPECT_EQ(omk.wait(), 128 + SIGKILL);
  std::string run = project.latest_run();
  EXPECT_EQ(status_of(project, run), "interrupted");
  expect_readable_records(project, run);

  for (const char* go : {"one.go", "two.go", "gate.go"}) project.write(go, "");
  auto resumed = project.omk({"run", "--resume", run});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_EQ(status_of(project, run), "succeeded");
  expect_readable_records(project, run);
  auto state = project.state(run);
  for (const auto& node : state["nodes"]) EXPECT_EQ(node["state"], "done") << node.dump();
  // The lane that was running when omk died has an interrupted attempt, then a done one.
  bool saw_interrupted = false;
  for (const auto& node : state["nodes"]) {
    for (const auto& attempt : node["attempts"]) {
      saw_interrupted = saw_interrupted || attempt.value("outcome", "") == "interrupted";
    }
  }
  EXPECT_TRUE(saw_interrupted);
  EXPECT_EQ(project.read("done.txt").find("three"), project.read("done.txt").rfind("three"))
      << "three ran once";
}

TEST(CrashResume, KilledWhileTheFirstLaneRuns) {
  crash_at("one.running", {});
}

TEST(CrashResume, KilledWhileALaterLaneRuns) {
  crash_at("two.running", {"one.go"});
}

TEST(CrashResume, KilledWhileAGateRuns) {
  crash_at("gate.running", {"one.go", "two.go"});
}

TEST(CrashResume, KilledRightAfterTheRunStarted) {
  DagProject project;
  project.write("pipeline.yaml", kPipeline);
  BackgroundOmk omk(project.root(), {"run", "pipeline.yaml"});
  // As soon as the run directory has its manifest, kill it: wherever it was, the run must read.
  fs::path runs = project.root() / ".omk" / "runs";
  for (int i = 0; i < 3000 && project.run_ids().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  omk.signal(SIGKILL);
  omk.wait();
  if (project.run_ids().empty()) GTEST_SKIP() << "omk died before creating the run";
  std::string run = project.latest_run();
  EXPECT_EQ(status_of(project, run), "interrupted");
  // Killed at an arbitrary instant, maybe mid-write: the records are whole either way.
  expect_readable_records(project, run, /*temp_files_allowed=*/true);
  for (const char* go : {"one.go", "two.go", "gate.go"}) project.write(go, "");
  auto resumed = project.omk({"run", "--resume", run});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  expect_no_temp_files(project.run_dir(run));
}

TEST(Cancel, InterruptCancelsRunningLanesAndRecordsCancelled) {
  DagProject project;
  project.write("pipeline.yaml", kPipeline);
  BackgroundOmk omk(project.root(), {"run", "pipeline.yaml"});
  ASSERT_TRUE(wait_for_file(project.root() / "one.running")) << omk.output();
  omk.signal(SIGINT);
  EXPECT_EQ(omk.wait(), 130) << omk.output();
  std::string run = project.latest_run();
  EXPECT_EQ(status_of(project, run), "cancelled");
  auto state = project.state(run);
  for (const auto& node : state["nodes"]) EXPECT_EQ(node["state"], "cancelled") << node.dump();
  EXPECT_EQ(state["nodes"][0]["attempts"][0]["outcome"], "cancelled");
  // The lane's process group is gone: nothing writes done.txt later.
  EXPECT_FALSE(fs::exists(project.root() / "done.txt"));
  // A cancelled run can be resumed.
  for (const char* go : {"one.go", "two.go", "gate.go"}) project.write(go, "");
  EXPECT_EQ(project.omk({"run", "--resume", run}).exit_code, 0);
}

TEST(Resume, RefusesASucceededRunAndALiveOne) {
  DagProject project;
  ASSERT_EQ(project.run_pipeline("nodes: [{id: a, run: \"true\"}]\n").exit_code, 0);
  auto again = project.omk({"run", "--resume", project.latest_run()});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("nothing to resume"), std::string::npos);

  project.write("pipeline.yaml", kPipeline);
  BackgroundOmk omk(project.root(), {"run", "pipeline.yaml"});
  ASSERT_TRUE(wait_for_file(project.root() / "one.running"));
  auto live = project.omk({"run", "--resume", project.latest_run()});
  EXPECT_EQ(live.exit_code, 2);
  EXPECT_NE(live.err.find("still being executed"), std::string::npos) << live.err;
  omk.signal(SIGKILL);
  omk.wait();
}

}  // namespace
}  // namespace omk::test
