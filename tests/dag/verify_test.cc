#include <gtest/gtest.h>

#include <filesystem>

#include "dag_fixture.h"

namespace omk::test {
namespace {
namespace fs = std::filesystem;

constexpr const char* kPipeline = R"(
nodes:
  - id: write
    worktree: true
    run: "echo hello > hello.txt"
    evidence:
      - file_exists: hello.txt
      - command: "grep -q hello hello.txt"
      - diff: {allow: [hello.txt]}
  - id: check
    run: "true"
    depends_on: [write]
    evidence:
      - command: "test -f marker.txt"
)";

TEST(Verify, AFreshRunHoldsAndTamperingBreaksIt) {
  DagProject project;
  project.write("marker.txt", "m");
  project.commit("marker");
  ASSERT_EQ(project.run_pipeline(kPipeline).exit_code, 0);
  std::string run = project.latest_run();
  auto fresh = project.omk({"verify", run, "--json"});
  ASSERT_EQ(fresh.exit_code, 0) << fresh.out << fresh.err;
  EXPECT_EQ(schema_errors("omk.verify.v1", fresh.out), "");
  auto doc = JsonDoc::parse(fresh.out);
  EXPECT_TRUE(doc["holds"].get<bool>());
  EXPECT_EQ(doc["nodes_checked"], 2);
  EXPECT_TRUE(fs::exists(project.run_dir(run) / "verify.json"));

  // Tamper with the lane's worktree: the file the gates look at.
  fs::path worktree = project.root() / ".omk" / "worktrees" / run / "write";
  write_text(worktree / "hello.txt", "goodbye\n");
  auto tampered = project.omk({"verify", run, "--json"});
  EXPECT_EQ(tampered.exit_code, 1);
  auto after = JsonDoc::parse(tampered.out);
  EXPECT_FALSE(after["holds"].get<bool>());
  auto write = after["nodes"][0];
  EXPECT_FALSE(write["holds"].get<bool>());
  EXPECT_FALSE(write["worktree"]["passed"].get<bool>());
  EXPECT_FALSE(write["gates"][1]["passed"].get<bool>()) << "grep finds no hello any more";
  EXPECT_TRUE(write["gates"][1]["recorded_passed"].get<bool>());

  // A project-side change breaks the other node.
  fs::remove(project.root() / "marker.txt");
  auto second = JsonDoc::parse(project.omk({"verify", run, "--json"}).out);
  EXPECT_FALSE(second["nodes"][1]["holds"].get<bool>());
}

TEST(Verify, AMovedWorktreeHeadIsReported) {
  DagProject project;
  project.write("marker.txt", "m");
  project.commit("marker");
  ASSERT_EQ(project.run_pipeline(kPipeline).exit_code, 0);
  std::string run = project.latest_run();
  fs::path worktree = project.root() / ".omk" / "worktrees" / run / "write";
  CommandOptions commit;
  commit.argv = {
      "/usr/bin/git", "-C", worktree.string(), "-c", "user.name=t", "-c", "user.email=t@t",
      "commit",       "-q", "--allow-empty",   "-m", "sneaky"};
  ASSERT_EQ(run_command(commit).exit_code, 0);
  auto doc = JsonDoc::parse(project.omk({"verify", run, "--json"}).out);
  EXPECT_FALSE(doc["holds"].get<bool>());
  EXPECT_NE(doc["nodes"][0]["worktree"]["reason"].get<std::string>().find("HEAD moved"),
            std::string::npos);
}

TEST(Verify, AFailedRunDoesNotHold) {
  DagProject project;
  ASSERT_EQ(project.run_pipeline("nodes: [{id: a, run: \"false\"}]\n").exit_code, 1);
  auto verify = project.omk({"verify", project.latest_run()});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_NE(verify.out.find("not checked: failed"), std::string::npos) << verify.out;
}

TEST(Replay, RunsTheRecordedSpecAgainAsANewRun) {
  DagProject project;
  project.write("marker.txt", "m");
  project.commit("marker");
  ASSERT_EQ(project.run_pipeline(kPipeline).exit_code, 0);
  std::string first = project.latest_run();
  // The file on disk changes; replay uses what the run recorded.
  project.write("pipeline.yaml", "nodes: [{id: other, run: \"false\"}]\n");
  auto replay = project.omk({"replay", first});
  ASSERT_EQ(replay.exit_code, 0) << replay.out << replay.err;
  std::string second = project.latest_run();
  ASSERT_NE(first, second);
  auto a = JsonDoc::parse(read_text(project.run_dir(first) / "run.json"));
  auto b = JsonDoc::parse(read_text(project.run_dir(second) / "run.json"));
  EXPECT_EQ(a["spec_hash"], b["spec_hash"]);
  EXPECT_EQ(a["base_commit"], b["base_commit"]);
  EXPECT_EQ(b["replay_of"]["run_id"], first);

  auto diff = project.omk({"diff-runs", first, second, "--json"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  EXPECT_EQ(schema_errors("omk.diff-runs.v1", diff.out), "");
  auto doc = JsonDoc::parse(diff.out);
  EXPECT_TRUE(doc["same_spec"].get<bool>());
  EXPECT_EQ(doc["differing_nodes"], 0);
}

TEST(Replay, FromANodeReusesWhatCameBefore) {
  DagProject project;
  project.write("marker.txt", "m");
  project.commit("marker");
  ASSERT_EQ(project.run_pipeline(kPipeline).exit_code, 0);
  std::string first = project.latest_run();
  auto replay = project.omk({"replay", first, "--from", "check"});
  ASSERT_EQ(replay.exit_code, 0) << replay.out << replay.err;
  std::string second = project.latest_run();
  auto write = project.node(second, "write");
  EXPECT_EQ(write["state"], "done");
  EXPECT_TRUE(write["attempts"].empty()) << "reused, not re-run";
  EXPECT_NE(write["reason"].get<std::string>().find("reused from run " + first), std::string::npos);
  EXPECT_EQ(write["commit"], project.node(first, "write")["commit"]);
  EXPECT_EQ(project.node(second, "check")["attempts"].size(), 1u);
  EXPECT_EQ(project.omk({"replay", first, "--from", "nope"}).exit_code, 2);
}

TEST(DiffRuns, ShowsWhatChangedBetweenRuns) {
  DagProject project;
  project.write("flag.txt", "ok");
  ASSERT_EQ(
      project.run_pipeline("nodes: [{id: a, run: \"test -f flag.txt\"}, {id: b, run: \"true\"}]\n")
          .exit_code,
      0);
  std::string first = project.latest_run();
  fs::remove(project.root() / "flag.txt");
  ASSERT_EQ(project.omk({"run", "pipeline.yaml"}).exit_code, 1);
  std::string second = project.latest_run();
  auto doc = JsonDoc::parse(project.omk({"diff-runs", first, second, "--json"}).out);
  EXPECT_EQ(doc["differing_nodes"], 1);
  EXPECT_EQ(doc["nodes"][0]["state"]["a"], "done");
  EXPECT_EQ(doc["nodes"][0]["state"]["b"], "failed");
  auto text = project.omk({"diff-runs", first, second});
  EXPECT_NE(text.out.find("a: done -> failed"), std::string::npos) << text.out;
}

TEST(Inspect, ShowsCountsHashesAndANodesLogs) {
  DagProject project;
  ASSERT_EQ(project
                .run_pipeline(R"(
nodes:
  - {id: a, run: "echo from-a", evidence: [{command: "true"}]}
  - {id: r, kind: agent, prompt: "secret plan: do X", optional: true}
)")
                .exit_code,
            0);
  std::string run = project.latest_run();
  auto all = project.omk({"inspect", run, "--json"});
  ASSERT_EQ(all.exit_code, 0);
  EXPECT_EQ(schema_errors("omk.inspect.v1", all.out), "");
  EXPECT_EQ(all.out.find("secret plan"), std::string::npos) << "prompts are shown as hashes";
  EXPECT_NE(all.out.find("prompt_sha256"), std::string::npos);
  auto one = JsonDoc::parse(project.omk({"inspect", run, "--node", "a", "--json"}).out);
  ASSERT_EQ(one["nodes"].size(), 1u);
  EXPECT_NE(one["nodes"][0]["logs"]["stdout"]["tail"].get<std::string>().find("from-a"),
            std::string::npos);
  EXPECT_EQ(project.omk({"inspect", run, "--node", "zz"}).exit_code, 2);
  auto html = project.omk({"inspect", run, "--html"});
  ASSERT_EQ(html.exit_code, 0);
  EXPECT_EQ(html.out.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.out.find("<svg"), std::string::npos);
  EXPECT_NE(html.out.find("node-a"), std::string::npos);
  EXPECT_EQ(html.out.find("<script"), std::string::npos);
}

TEST(RunsCommand, ListsFiltersAndReindexes) {
  DagProject project;
  EXPECT_NE(project.omk({"runs"}).out.find("no runs yet"), std::string::npos);
  ASSERT_EQ(project.run_pipeline("nodes: [{id: a, run: \"true\"}]\n").exit_code, 0);
  ASSERT_EQ(project.run_pipeline("nodes: [{id: a, run: \"false\"}]\n").exit_code, 1);
  auto listing = project.omk({"runs", "--json"});
  EXPECT_EQ(schema_errors("omk.runs.v1", listing.out), "");
  EXPECT_EQ(JsonDoc::parse(listing.out)["runs"].size(), 2u);
  auto failed = JsonDoc::parse(project.omk({"runs", "--status", "failed", "--json"}).out);
  ASSERT_EQ(failed["runs"].size(), 1u);
  EXPECT_EQ(failed["runs"][0]["nodes"]["failed"], 1);
  EXPECT_EQ(project.omk({"runs", "--status", "weird"}).exit_code, 2);
  fs::remove(project.root() / ".omk" / "omk.db");
  auto reindex = project.omk({"runs", "reindex", "--json"});
  ASSERT_EQ(reindex.exit_code, 0) << reindex.err;
  EXPECT_EQ(schema_errors("omk.runs-reindex.v1", reindex.out), "");
  EXPECT_EQ(JsonDoc::parse(reindex.out)["runs"], 2);
}

TEST(DagCommand, ValidateAndShow) {
  DagProject project;
  project.write("good.yaml",
                "nodes: [{id: a, run: \"true\"}, {id: b, run: \"true\", depends_on: [a]}]\n");
  project.write("bad.yaml", "nodes: [{id: a, run: \"true\", depends_on: [a]}, {id: a, run: x}]\n");
  auto good = project.omk({"dag", "validate", "good.yaml", "--json"});
  EXPECT_EQ(good.exit_code, 0);
  EXPECT_EQ(schema_errors("omk.dag-validate.v1", good.out), "");
  auto bad = project.omk({"dag", "validate", "bad.yaml", "--json"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(schema_errors("omk.dag-validate.v1", bad.out), "");
  EXPECT_EQ(JsonDoc::parse(bad.out)["problems"].size(), 2u);
  auto text = project.omk({"dag", "validate", "bad.yaml"});
  EXPECT_EQ(text.exit_code, 2);
  EXPECT_NE(text.err.find("bad.yaml:1:"), std::string::npos) << text.err;
  auto json = project.omk({"dag", "show", "good.yaml", "--format", "json"});
  EXPECT_EQ(schema_errors("omk.dag.v1", json.out), "");
  EXPECT_NE(project.omk({"dag", "show", "good.yaml", "--format", "dot"}).out.find("\"a\" -> \"b\""),
            std::string::npos);
  ASSERT_EQ(project.omk({"run", "good.yaml"}).exit_code, 0);
  auto shown = project.omk({"dag", "show", project.latest_run()});
  EXPECT_NE(shown.out.find("a [done]"), std::string::npos) << shown.out;
}

}  // namespace
}  // namespace omk::test
