#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "dag_fixture.h"

namespace omk::test {
namespace {
namespace fs = std::filesystem;

// Lets worktree lanes meet in a directory outside every worktree (a writable root), so two of
// them can wait for each other and provably run at the same time.
void add_writable_root(DagProject& project, const fs::path& shared) {
  std::string config = project.read(".omk/config.toml");
  config = std::regex_replace(config, std::regex("writable_roots = \\[\\]"),
                              "writable_roots = [\"" + shared.string() + "\"]");
  project.write(".omk/config.toml", config);
}

std::string pipeline_editing_one_file(const fs::path& shared) {
  auto lane = [&](const std::string& me, const std::string& other) {
    return "  - id: " + me + "\n    worktree: true\n    run: |\n      echo " + me +
           " > shared.txt\n      touch " + (shared / me).string() + "\n      until [ -e " +
           (shared / other).string() +
           " ]; do sleep 0.02; done\n      test \"$(cat shared.txt)\" = " + me +
           "\n    evidence:\n      - diff: {allow: [shared.txt]}\n";
  };
  return "defaults: {timeout: 2m}\nnodes:\n" + lane("left", "right") + lane("right", "left");
}

TEST(Worktrees, ParallelLanesEditingOneFileDoNotSeeEachOther) {
  DagProject project;
  TempDir shared;
  add_writable_root(project, shared.path());
  project.write("shared.txt", "base\n");
  project.commit("base");
  auto result = project.run_pipeline(pipeline_editing_one_file(shared.path()), {"--workers", "2"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  std::string run = project.latest_run();
  for (const char* lane : {"left", "right"}) {
    auto node = project.node(run, lane);
    EXPECT_EQ(node["state"], "done");
    EXPECT_EQ(node["branch"], "omk/" + run + "/" + lane);
    EXPECT_EQ(node["files_changed"], JsonDoc::array({"shared.txt"}));
    EXPECT_EQ(project.git({"show", node["commit"].get<std::string>() + ":shared.txt"}),
              std::string(lane) + "\n");
  }
  EXPECT_EQ(project.read("shared.txt"), "base\n") << "the project itself is untouched";

  auto dry = project.omk({"merge", run, "--dry-run", "--json"});
  EXPECT_EQ(dry.exit_code, 1);
  EXPECT_EQ(schema_errors("omk.merge.v1", dry.out), "");
  auto dry_doc = JsonDoc::parse(dry.out);
  EXPECT_EQ(dry_doc["merged"][0]["result"], "would merge");
  EXPECT_EQ(dry_doc["conflict"]["node"], "right");
  EXPECT_EQ(project.read("shared.txt"), "base\n") << "--dry-run changes nothing";

  auto merge = project.omk({"merge", run, "--json"});
  EXPECT_EQ(merge.exit_code, 1) << merge.err;
  auto doc = JsonDoc::parse(merge.out);
  EXPECT_EQ(doc["status"], "conflict");
  EXPECT_EQ(doc["merged"][0]["node"], "left");
  EXPECT_EQ(doc["merged"][0]["result"], "merged");
  EXPECT_EQ(doc["conflict"]["node"], "right");
  EXPECT_EQ(doc["conflict"]["files"], JsonDoc::array({"shared.txt"}));
  // The conflicting merge was aborted: the project holds left's change and nothing half-done.
  EXPECT_EQ(project.read("shared.txt"), "left\n");
  EXPECT_EQ(project.git({"status", "--porcelain", "--untracked-files=no"}), "");
  EXPECT_EQ(JsonDoc::parse(read_text(project.run_dir(run) / "merge.json"))["status"], "conflict");
}

TEST(Worktrees, MergeTakesPassingLanesInDependencyOrderAndSkipsTheRest) {
  DagProject project;
  auto result = project.run_pipeline(R"(
defaults: {worktree: true}
nodes:
  - {id: docs, run: "echo docs > docs.txt"}
  - {id: code, run: "echo code > code.txt", depends_on: [docs]}
  - {id: nothing, run: "true"}
  - {id: bad, run: "echo bad > bad.txt", evidence: [{file_exists: missing.txt}], optional: true}
)");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  std::string run = project.latest_run();
  auto merge = project.omk({"merge", run, "--json"});
  ASSERT_EQ(merge.exit_code, 0) << merge.out << merge.err;
  auto doc = JsonDoc::parse(merge.out);
  EXPECT_EQ(doc["status"], "merged");
  ASSERT_EQ(doc["merged"].size(), 2u);
  EXPECT_EQ(doc["merged"][0]["node"], "docs");
  EXPECT_EQ(doc["merged"][1]["node"], "code");
  ASSERT_EQ(doc["skipped"].size(), 2u);
  EXPECT_EQ(project.read("code.txt"), "code\n");
  EXPECT_FALSE(fs::exists(project.root() / "bad.txt")) << "a lane whose gate failed is not merged";
  // Merging again changes nothing.
  auto again = JsonDoc::parse(project.omk({"merge", run, "--json"}).out);
  EXPECT_EQ(again["merged"][0]["result"], "already merged");
}

TEST(Worktrees, MergeRefusesADirtyProject) {
  DagProject project;
  project.write("tracked.txt", "1\n");
  project.commit("tracked");
  ASSERT_EQ(
      project.run_pipeline("nodes: [{id: a, run: \"echo a > a.txt\", worktree: true}]\n").exit_code,
      0);
  project.write("tracked.txt", "2\n");
  auto merge = project.omk({"merge", project.latest_run()});
  EXPECT_EQ(merge.exit_code, 2);
  EXPECT_NE(merge.err.find("uncommitted changes"), std::string::npos) << merge.err;
}

TEST(Worktrees, CleanRemovesFinishedRunsWorktreesAndKeepsBranches) {
  DagProject project;
  ASSERT_EQ(
      project.run_pipeline("nodes: [{id: a, run: \"echo a > a.txt\", worktree: true}]\n").exit_code,
      0);
  std::string run = project.latest_run();
  fs::path worktree = project.root() / ".omk" / "worktrees" / run / "a";
  ASSERT_TRUE(fs::exists(worktree / "a.txt"));
  auto dry = project.omk({"worktrees", "clean", "--dry-run", "--json"});
  EXPECT_EQ(schema_errors("omk.worktrees-clean.v1", dry.out), "");
  EXPECT_TRUE(fs::exists(worktree));
  auto clean = project.omk({"worktrees", "clean", "--json"});
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(JsonDoc::parse(clean.out)["removed"].size(), 1u);
  EXPECT_FALSE(fs::exists(worktree));
  EXPECT_NE(project.git({"branch", "--list", "omk/" + run + "/a"}), "");
  // verify still works from the recorded commit.
  auto verify = project.omk({"verify", run, "--json"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST(Worktrees, ALaneCannotWriteOutsideItsWorktree) {
  DagProject project;
  auto result = project.run_pipeline("nodes: [{id: escape, worktree: true, run: \"echo x > " +
                                     project.root().string() + "/escaped.txt\"}]\n");
  // Refused, or swallowed by the sandbox's private view of the file system (the test project
  // lives under /tmp, which is private to the lane): either way it never reaches the project.
  (void)result;
  EXPECT_FALSE(fs::exists(project.root() / "escaped.txt"));
}

}  // namespace
}  // namespace omk::test
