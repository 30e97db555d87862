#include <gtest/gtest.h>

#include <filesystem>

#include "dag_fixture.h"

namespace omk::test {
namespace {
namespace fs = std::filesystem;

// Runs one lane with the given gates; returns the last attempt's gate records.
JsonDoc gates_of(DagProject& project, const std::string& node_yaml, int* exit_code = nullptr) {
  auto result = project.run_pipeline("nodes:\n" + node_yaml);
  if (exit_code) *exit_code = result.exit_code;
  auto node = project.node(project.latest_run(), "lane");
  return node["attempts"].back()["gates"];
}

constexpr const char* kJUnitPass =
    "<testsuite name='t'><testcase name='a'/><testcase name='b'/><testcase name='c'/></testsuite>";
constexpr const char* kJUnitFail =
    "<testsuite name='t'><testcase name='a'/><testcase name='b'><failure/></testcase></testsuite>";

TEST(Gates, CommandPassesOnExitZeroAndFailsOtherwise) {
  DagProject project;
  int code = 0;
  auto gates = gates_of(project, R"(
  - id: lane
    run: "true"
    evidence:
      - command: "test 1 = 1"
      - command: [sh, -c, "echo why >&2; exit 7"]
)",
                        &code);
  EXPECT_EQ(code, 1);
  ASSERT_EQ(gates.size(), 2u);
  EXPECT_TRUE(gates[0]["passed"].get<bool>());
  EXPECT_FALSE(gates[1]["passed"].get<bool>());
  EXPECT_EQ(gates[1]["details"]["exit_code"], 7);
  EXPECT_NE(gates[1]["reason"].get<std::string>().find("exit 7"), std::string::npos);
  std::string log = read_text(project.run_dir(project.latest_run()) /
                              gates[1]["artifacts"][0].get<std::string>());
  EXPECT_NE(log.find("why"), std::string::npos) << "gate output is kept";
  auto node = project.node(project.latest_run(), "lane");
  EXPECT_EQ(node["state"], "failed");
  EXPECT_NE(node["reason"].get<std::string>().find("gate failed: command #1"), std::string::npos);
}

TEST(Gates, TestsNeedAPassingReportWithTestsInIt) {
  DagProject project;
  project.write("pass.xml", kJUnitPass);
  project.write("fail.xml", kJUnitFail);
  project.write("empty.xml", "<testsuite name='none'></testsuite>");
  project.write("pass.tap", "1..2\nok 1 a\nok 2 b\n");
  project.write("fail.tap", "1..2\nok 1 a\nnot ok 2 b\n");
  project.commit("reports");
  auto gates = gates_of(project, R"(
  - id: lane
    run: "true"
    evidence:
      - tests: {run: "true", junit: pass.xml}
      - tests: {run: "true", junit: fail.xml}
      - tests: {run: "true", junit: empty.xml}
      - tests: {run: "true", junit: absent.xml}
      - tests: {run: "exit 1", junit: pass.xml}
      - tests: {run: "true", tap: pass.tap}
      - tests: {run: "true", tap: fail.tap}
      - tests: {run: "echo '<testsuite>' > cut.xml", junit: cut.xml}
)");
  ASSERT_EQ(gates.size(), 8u);
  std::vector<bool> passed;
  for (const auto& gate : gates) passed.push_back(gate["passed"].get<bool>());
  EXPECT_EQ(passed, (std::vector<bool>{true, false, false, false, false, true, false, false}));
  EXPECT_EQ(gates[0]["details"]["passed"], 3);
  EXPECT_EQ(gates[0]["reason"], "3 passed, 0 failed, 0 skipped");
  EXPECT_EQ(gates[1]["details"]["failures"], JsonDoc::array({"b"}));
  EXPECT_NE(gates[2]["reason"].get<std::string>().find("no passing test"), std::string::npos);
  EXPECT_NE(gates[3]["reason"].get<std::string>().find("no report at absent.xml"),
            std::string::npos);
  EXPECT_NE(gates[7]["reason"].get<std::string>().find("not a readable JUnit XML report"),
            std::string::npos);
  // The report is kept with the run.
  bool kept = false;
  for (const auto& artifact : gates[0]["artifacts"]) {
    kept = kept || artifact.get<std::string>().find("report.xml") != std::string::npos;
  }
  EXPECT_TRUE(kept);
}

TEST(Gates, FileExistsLooksInsideTheWorkspaceOnly) {
  DagProject project;
  TempDir outside;
  write_text(outside.path() / "secret.txt", "x");
  fs::create_symlink(outside.path(), project.root() / "link");
  project.write("here.txt", "x");
  project.commit("files");
  auto gates = gates_of(project, R"(
  - id: lane
    run: "touch made.txt"
    evidence:
      - file_exists: [here.txt, made.txt]
      - file_exists: nothere.txt
      - file_exists: link/secret.txt
)");
  ASSERT_EQ(gates.size(), 3u);
  EXPECT_TRUE(gates[0]["passed"].get<bool>());
  EXPECT_FALSE(gates[1]["passed"].get<bool>());
  EXPECT_EQ(gates[1]["reason"], "missing: nothere.txt");
  EXPECT_FALSE(gates[2]["passed"].get<bool>());
  EXPECT_NE(gates[2]["reason"].get<std::string>().find("outside the lane's workspace"),
            std::string::npos);
}

TEST(Gates, DiffNeedsAChangeWithinTheAllowedGlobs) {
  DagProject project;
  auto gates = gates_of(project, R"(
  - id: lane
    worktree: true
    run: "mkdir -p src docs && echo a > src/a.c && echo b > docs/b.md"
    evidence:
      - diff: {allow: ["src/**", "*.md"]}
      - diff: {allow: ["src/**"]}
      - diff: true
)");
  ASSERT_EQ(gates.size(), 3u);
  EXPECT_TRUE(gates[0]["passed"].get<bool>()) << gates[0].dump();
  EXPECT_FALSE(gates[1]["passed"].get<bool>());
  EXPECT_EQ(gates[1]["details"]["outside_allow"], JsonDoc::array({"docs/b.md"}));
  EXPECT_TRUE(gates[2]["passed"].get<bool>());

  auto empty = gates_of(project, R"(
  - id: lane
    worktree: true
    run: "true"
    evidence:
      - diff: true
)");
  EXPECT_FALSE(empty[0]["passed"].get<bool>());
  EXPECT_EQ(empty[0]["reason"], "the lane changed nothing");
}

TEST(Gates, DiffOfALaneInTheProjectIsTheWorkingTreeAgainstTheBaseCommit) {
  DagProject project;
  auto gates = gates_of(project, R"(
  - id: lane
    run: "echo new > new.txt"
    evidence:
      - diff: {allow: ["new.txt"]}
      - diff: {allow: ["new.txt", "pipeline.yaml"]}
)");
  // Lanes sharing the project cannot be told apart: the uncommitted pipeline.yaml is part of
  // the project's change too.
  EXPECT_FALSE(gates[0]["passed"].get<bool>()) << gates[0].dump();
  EXPECT_EQ(gates[0]["details"]["outside_allow"], JsonDoc::array({"pipeline.yaml"}));
  EXPECT_TRUE(gates[1]["passed"].get<bool>()) << gates[1].dump();
}

TEST(Gates, SecretsCleanScansWhatTheLaneAdded) {
  DagProject project;
  std::string token = planted_token();
  auto dirty =
      gates_of(project, "  - id: lane\n    worktree: true\n    run: \"echo token=" + token +
                            " > config.txt\"\n    evidence:\n      - secrets_clean: true\n");
  ASSERT_EQ(dirty.size(), 1u);
  EXPECT_FALSE(dirty[0]["passed"].get<bool>());
  EXPECT_EQ(dirty[0]["details"]["findings"][0]["path"], "config.txt");
  EXPECT_EQ(dirty[0]["details"]["findings"][0]["rule"], "github-pat-classic");
  // No secret value in any record of the run.
  for (const auto& entry :
       fs::recursive_directory_iterator(project.run_dir(project.latest_run()))) {
    if (entry.is_regular_file()) {
      EXPECT_EQ(read_text(entry.path()).find(token), std::string::npos) << entry.path();
    }
  }
  auto clean = gates_of(project,
                        "  - id: lane\n    worktree: true\n    run: \"echo hello > greeting.txt\"\n"
                        "    evidence:\n      - secrets_clean: true\n");
  EXPECT_TRUE(clean[0]["passed"].get<bool>()) << clean[0].dump();
}

TEST(Gates, ReviewNeedsAnApprovingReviewerThatRan) {
  DagProject project;
  int code = 0;
  auto result = project.run_pipeline(R"(
nodes:
  - {id: review, kind: agent, prompt: review it, optional: true}
  - id: lane
    run: "true"
    depends_on: [review]
    evidence:
      - review: {by: review}
)");
  code = result.exit_code;
  EXPECT_EQ(code, 1);
  auto node = project.node(project.latest_run(), "lane");
  auto gate = node["attempts"][0]["gates"][0];
  EXPECT_FALSE(gate["passed"].get<bool>());
  EXPECT_NE(gate["reason"].get<std::string>().find("reviewer review is skipped"), std::string::npos)
      << gate.dump();
}

TEST(Gates, BuiltinsScanAndGuard) {
  DagProject project;
  std::string token = planted_token();
  auto result = project.run_pipeline(
      "nodes:\n"
      "  - {id: clean-scan, kind: builtin, run: secrets-scan}\n"
      "  - id: edit\n    worktree: true\n"
      "    run: \"printf '#!/bin/sh\\\\nrm -rf /\\\\n' > wipe.sh\"\n"
      "  - {id: guard, kind: builtin, run: guard-check, target: edit, "
      "depends_on: [edit], optional: true}\n"
      // The token is split in the spec, whole only in leak.txt.
      "  - id: leak\n    run: \"t=ghp_; echo ${t}" +
      token.substr(4) +
      " > leak.txt\"\n"
      "    depends_on: [clean-scan]\n"
      "  - {id: dirty-scan, kind: builtin, run: secrets-scan, "
      "depends_on: [leak], optional: true}\n");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  std::string run = project.latest_run();
  EXPECT_EQ(project.node(run, "clean-scan")["state"], "done");
  auto guard = project.node(run, "guard");
  EXPECT_EQ(guard["state"], "failed");
  auto guard_report = JsonDoc::parse(read_text(project.run_dir(run) / "lanes/guard/report.json"));
  EXPECT_EQ(guard_report["denied"], 1);
  EXPECT_EQ(guard_report["verdicts"][0]["path"], "wipe.sh");
  auto dirty = project.node(run, "dirty-scan");
  EXPECT_EQ(dirty["state"], "failed");
  auto scan_report =
      JsonDoc::parse(read_text(project.run_dir(run) / "lanes/dirty-scan/report.json"));
  EXPECT_EQ(scan_report["findings"][0]["path"], "leak.txt");
}

TEST(Gates, GuardCheckJudgesWrittenContentWithTheSecretRules) {
  DagProject project;
  std::string token = planted_token();
  auto result = project.run_pipeline(
      "nodes:\n"
      "  - id: edit\n    worktree: true\n"
      "    run: \"t=ghp_; echo TOKEN=${t}" +
      token.substr(4) +
      " > settings.env\"\n"
      "  - {id: guard, kind: builtin, run: guard-check, target: edit, "
      "depends_on: [edit], optional: true}\n");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  std::string run = project.latest_run();
  EXPECT_EQ(project.node(run, "guard")["state"], "failed");
  std::string report = read_text(project.run_dir(run) / "lanes/guard/report.json");
  auto guard_report = JsonDoc::parse(report);
  EXPECT_EQ(guard_report["denied"], 1) << report;
  EXPECT_EQ(guard_report["verdicts"][0]["path"], "settings.env");
  EXPECT_EQ(report.find(token), std::string::npos);
}

}  // namespace
}  // namespace omk::test
