#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "core/error.h"
#include "runs/digest.h"
#include "runs/private_files.h"
#include "runs/run_index.h"
#include "runs/run_recorder.h"
#include "runs/run_store.h"
#include "test_support.h"

namespace omk::runs {
namespace {
namespace fs = std::filesystem;

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 0777;
}

NewRun two_node_run(const std::string& id) {
  NewRun run;
  run.run_id = id;
  run.manifest = {{"goal", "test goal"}, {"spec_hash", sha256_digest("spec")}};
  run.nodes = {{"build", "command", false}, {"review", "agent", true}};
  return run;
}

TEST(RunStore, CreateWritesPrivateRecordsAndEvents) {
  test::TempDir tmp;
  RunStore store(tmp.path());
  {
    auto recorder = RunRecorder::create(store, two_node_run("20260101-000000-aaaaaa"));
    recorder->emit("node.started", "build", {{"attempt", 1}, {"workspace", "."}});
    recorder->emit("node.finished", "build",
                   {{"attempt", 1}, {"state", "done"}, {"outcome", "done"}, {"exit_code", 0}});
    recorder->emit("node.state", "review", {{"state", "skipped"}, {"reason", "no runtime"}});
    recorder->finish(RunStatus::kSucceeded);
  }
  fs::path dir = store.run_dir("20260101-000000-aaaaaa");
  EXPECT_EQ(mode_of(store.runs_dir()), 0700u);
  EXPECT_EQ(mode_of(dir), 0700u);
  for (const char* name :
       {"run.json", "state.json", "events.jsonl", "evidence.jsonl", "decisions.jsonl"}) {
    EXPECT_EQ(mode_of(dir / name), 0600u) << name;
  }
  Json manifest = store.load_manifest("20260101-000000-aaaaaa");
  EXPECT_EQ(manifest["schema"], "omk.run-manifest.v1");
  EXPECT_EQ(manifest["status"], "succeeded");
  EXPECT_EQ(manifest["goal"], "test goal");
  EXPECT_TRUE(manifest["finished_at"].is_string());
  EXPECT_EQ(test::schema_errors("omk.run-manifest.v1", manifest.dump()), "");

  RunState state = store.load_state("20260101-000000-aaaaaa");
  EXPECT_EQ(state.status, RunStatus::kSucceeded);
  ASSERT_EQ(state.nodes.size(), 2u);
  EXPECT_EQ(state.nodes[0].state, NodeState::kDone);
  ASSERT_EQ(state.nodes[0].attempts.size(), 1u);
  EXPECT_EQ(state.nodes[0].attempts[0].exit_code, 0);
  EXPECT_EQ(state.nodes[1].state, NodeState::kSkipped);
  EXPECT_EQ(state.nodes[1].reason, "no runtime");
  EXPECT_EQ(test::schema_errors("omk.run-state.v1", to_json(state).dump()), "");
  for (const auto& event : store.load_events("20260101-000000-aaaaaa")) {
    EXPECT_EQ(test::schema_errors("omk.event.v1", event.dump()), "") << event.dump();
  }
}

TEST(RunStore, StateIsCheckpointPlusLaterEvents) {
  test::TempDir tmp;
  RunStore store(tmp.path());
  auto recorder = RunRecorder::create(store, two_node_run("r1"));
  recorder->set_checkpoint_interval_ms(1'000'000'000);  // only explicit checkpoints
  recorder->emit("node.started", "build", {{"attempt", 1}});
  // state.json still says pending; the event log says running.
  auto on_disk = Json::parse(test::read_text(store.run_dir("r1") / "state.json"));
  EXPECT_EQ(on_disk["nodes"][0]["state"], "pending");
  EXPECT_EQ(store.load_state("r1").nodes[0].state, NodeState::kRunning);
  recorder->checkpoint();
  on_disk = Json::parse(test::read_text(store.run_dir("r1") / "state.json"));
  EXPECT_EQ(on_disk["nodes"][0]["state"], "running");
}

TEST(RunStore, ALiveRunIsRunningAndADeadOneInterrupted) {
  test::TempDir tmp;
  RunStore store(tmp.path());
  auto recorder = RunRecorder::create(store, two_node_run("r1"));
  Json manifest = store.load_manifest("r1");
  EXPECT_EQ(store.effective_status("r1", manifest, store.load_state("r1")), RunStatus::kRunning);
  recorder.reset();  // the lock goes away as if the process died
  EXPECT_EQ(store.effective_status("r1", manifest, store.load_state("r1")),
            RunStatus::kInterrupted);
  EXPECT_EQ(summarize_run(store, "r1").status, RunStatus::kInterrupted);
}

TEST(RunStore, KilledWriterLeavesAnInterruptedRunThatResumes) {
  test::TempDir tmp;
  RunStore store(tmp.path());
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto recorder = RunRecorder::create(store, two_node_run("r1"));
    recorder->emit("node.started", "build", {{"attempt", 1}});
    ::kill(::getpid(), SIGKILL);
    _exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(summarize_run(store, "r1").status, RunStatus::kInterrupted);
  EXPECT_EQ(store.load_state("r1").nodes[0].state, NodeState::kRunning);
  auto resumed = RunRecorder::resume(store, "r1");
  EXPECT_EQ(summarize_run(store, "r1").status, RunStatus::kRunning);
  resumed->finish(RunStatus::kFailed);
  EXPECT_EQ(summarize_run(store, "r1").status, RunStatus::kFailed);
}

TEST(RunStore, ResumeRefusesARunAnotherProcessHolds) {
  test::TempDir tmp;
  RunStore store(tmp.path());
  auto recorder = RunRecorder::create(store, two_node_run("r1"));
  EXPECT_THROW(RunRecorder::resume(store, "r1"), UserError);
}

TEST(RunStore, RejectsBadRunIdsAndSkipsStrayDirectories) {
  test::TempDir tmp;
  RunStore store(tmp.path());
  EXPECT_THROW(store.run_dir("../x"), UserError);
  EXPECT_THROW(store.run_dir("latest/.."), UserError);
  EXPECT_THROW(store.require("nope"), UserError);
  fs::create_directories(store.runs_dir() / "not a run");
  fs::create_directories(store.runs_dir() / "empty-dir");
  RunRecorder::create(store, two_node_run("r2"));
  EXPECT_EQ(store.list_run_ids(), (std::vector<std::string>{"r2"}));
}

TEST(PrivateFiles, TornJsonlLineIsSkippedOnReadAndCutOnAppend) {
  test::TempDir tmp;
  fs::path path = tmp.path() / "events.jsonl";
  test::write_text(path, "{\"seq\":1}\n{\"seq\":2}\n{\"seq\":3, \"ty");
  auto contents = read_jsonl(path);
  EXPECT_EQ(contents.records.size(), 2u);
  EXPECT_EQ(contents.skipped_lines, 1);
  {
    JsonlWriter writer(path);
    writer.append({{"seq", 3}});
  }
  EXPECT_EQ(test::read_text(path), "{\"seq\":1}\n{\"seq\":2}\n{\"seq\":3}\n");
}

TEST(PrivateFiles, FilteredLogIsCreatedOnlyWhenSomethingIsWritten) {
  test::TempDir tmp;
  {
    FilteredLog quiet(tmp.path() / "quiet.log");
    quiet.close();
  }
  EXPECT_FALSE(fs::exists(tmp.path() / "quiet.log"));
  FilteredLog log(tmp.path() / "out.log");
  log.write("hello ");
  log.write("world\n");
  log.close();
  EXPECT_EQ(test::read_text(tmp.path() / "out.log"), "hello world\n");
  EXPECT_EQ(mode_of(tmp.path() / "out.log"), 0600u);
}

TEST(PrivateFiles, RedactionTouchesValuesNotStructure) {
  set_output_filter([](std::string_view text) {
    std::string out(text);
    for (size_t at; (at = out.find("hunter2")) != std::string::npos;) out.replace(at, 7, "[R]");
    return out;
  });
  Json redacted = redact_json({{"password", "hunter2"}, {"list", {"a\"hunter2\"b", 3}}});
  set_output_filter(nullptr);
  EXPECT_EQ(redacted.dump(), R"({"password":"[R]","list":["a\"[R]\"b",3]})");
}

TEST(RunIndex, ReindexRebuildsFromFilesAndListsNewestFirst) {
  test::TempDir tmp;
  RunStore store(tmp.path());
  for (const char* id : {"20260101-000000-aaaaaa", "20260102-000000-bbbbbb"}) {
    auto recorder = RunRecorder::create(store, two_node_run(id));
    recorder->emit("node.started", "build", {{"attempt", 1}, {"provider", "codex"}});
    recorder->emit("node.finished", "build",
                   {{"attempt", 1}, {"state", "done"}, {"outcome", "done"}});
    recorder->finish(RunStatus::kSucceeded);
  }
  {
    auto recorder = RunRecorder::create(store, two_node_run("20260103-000000-cccccc"));
  }  // interrupted
  struct stat st {};
  ASSERT_EQ(::stat(store.index_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  fs::remove(store.index_path());
  RunIndex index(store);
  auto report = index.rebuild();
  EXPECT_EQ(report.runs, 3);
  EXPECT_EQ(report.nodes, 6);
  EXPECT_EQ(report.attempts, 2);
  auto runs = index.list();
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].id, "20260103-000000-cccccc");
  EXPECT_EQ(runs[0].status, RunStatus::kInterrupted);
  EXPECT_EQ(runs[1].counts[NodeState::kDone], 1);
  EXPECT_EQ(index.list(RunStatus::kSucceeded).size(), 2u);
  EXPECT_EQ(index.provider_outcomes("codex").size(), 2u);

  fs::remove_all(store.run_dir("20260101-000000-aaaaaa"));
  index.sync();
  EXPECT_EQ(index.list().size(), 2u) << "rows of deleted runs go away";
}

}  // namespace
}  // namespace omk::runs
