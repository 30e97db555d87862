// Agent lanes through the router, end to end: the omk binary runs pipelines whose agent lanes
// are a real agent CLI pinned in tests/peers (codex), pointed at the scripted model server
// (127.0.0.1) through [providers.codex] base_url / api_key_env. Skipped cleanly when the peers
// are not installed (scripts/bootstrap --tests).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/config.h"
#include "dag/planner.h"
#include "dag/review_verdict.h"
#include "dag/routed_agents.h"
#include "dag_fixture.h"
#include "mcp_peers.h"
#include "routing/evidence_history.h"

namespace omk::test {
namespace {

namespace fs = std::filesystem;

std::string peers_path() {
  fs::path bin = peers_dir() / ".bin";
  if (!fs::exists(bin / "codex")) return "";
  return node22_dir().string() + ":" + bin.string() + ":/usr/bin:/bin";
}

// A DagProject whose omk sees only the pinned CLIs, a scratch HOME and a key variable for the
// scripted model.
class AgentProject {
 public:
  explicit AgentProject(const nlohmann::json& script) : server_(script.dump()) {
    fs::create_directories(home_.path());
    env_["HOME"] = home_.path().string();
    env_["PATH"] = peers_path();
    env_["FAKE_MODEL_API_KEY"] = "dummy-key-for-the-fake-model";
    env_["XDG_CACHE_HOME"] = (home_.path() / ".cache").string();
    std::ofstream config(project_.root() / ".omk/config.toml", std::ios::app);
    config << "\n[providers.codex]\nbase_url = \"" << server_.base_url()
           << "/v1\"\napi_key_env = \"FAKE_MODEL_API_KEY\"\nmodel = \"gpt-5.5\"\n";
  }

  DagProject& project() { return project_; }
  ModelServer& server() { return server_; }
  CommandResult omk(const std::vector<std::string>& args) { return project_.omk(args, env_); }
  CommandResult run(const std::string& yaml, std::vector<std::string> extra = {}) {
    project_.write("pipeline.yaml", yaml);
    std::vector<std::string> args = {"run", "pipeline.yaml"};
    args.insert(args.end(), extra.begin(), extra.end());
    return omk(args);
  }

 private:
  DagProject project_;
  TempDir home_;
  ModelServer server_;
  std::map<std::string, std::string> env_;
};

#define SKIP_WITHOUT_PEERS()                                                 \
  if (peers_path().empty()) {                                                \
    GTEST_SKIP() << "tests/peers not installed (scripts/bootstrap --tests)"; \
  }

// A script whose only step is the final answer `text`.
nlohmann::json answer(const std::string& text) {
  nlohmann::json step = {{"text", text}};
  return nlohmann::json{{"steps", nlohmann::json::array({step})}};
}

const nlohmann::json kWriteScript = {
    {"steps", {{{"shell", "echo hello > out.txt"}}, {{"text", "done: wrote out.txt"}}}}};

TEST(AgentLanes, AnAgentLaneEditsItsWorktreeAndTheRunHolds) {
  SKIP_WITHOUT_PEERS();
  AgentProject agents(kWriteScript);
  auto result = agents.run(R"(
goal: write out.txt
nodes:
  - id: write
    kind: agent
    prompt: create out.txt containing hello
    provider: auto
    risk: shell
    evidence:
      - file_exists: out.txt
      - diff: {allow: [out.txt]}
      - secrets_clean: true
)",
                           {"--execution", "auto", "--provider", "codex"});
  DagProject& project = agents.project();
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  std::string run = project.latest_run();
  auto node = project.node(run, "write");
  EXPECT_EQ(node["state"], "done") << node.dump(1);
  fs::path dir = project.run_dir(run);

  // The change is in the lane's worktree and commit, not in the project.
  EXPECT_FALSE(fs::exists(project.root() / "out.txt"));
  EXPECT_EQ(read_text(project.root() / ".omk/worktrees" / run / "write/out.txt"), "hello\n");
  auto finished = project.events(run);
  bool provider_recorded = false;
  for (const auto& event : finished) {
    if (event["type"] == "node.finished" && event["node"] == "write") {
      EXPECT_EQ(event["data"]["provider"], "codex");
      EXPECT_EQ(event["data"]["files_changed"], JsonDoc::array({"out.txt"}));
      provider_recorded = true;
    }
  }
  EXPECT_TRUE(provider_recorded);

  // lanes/write/: the envelope, the routed turn, the agent's events in stdout.log.
  EXPECT_NE(read_text(dir / "lanes/write/envelope.txt").find("create out.txt containing hello"),
            std::string::npos);
  std::string turn = read_text(dir / "lanes/write/turn.json");
  EXPECT_EQ(schema_errors("omk.lane-turn.v1", turn), "");
  auto turn_json = JsonDoc::parse(turn);
  EXPECT_EQ(turn_json["outcome"], "succeeded");
  EXPECT_EQ(turn_json["route"]["provider"], "codex");
  EXPECT_EQ(turn_json["route"]["risk"], "shell");
  EXPECT_NE(turn_json["final_message"].get<std::string>().find("done: wrote out.txt"),
            std::string::npos);
  std::string log = read_text(dir / "lanes/write/stdout.log");
  EXPECT_NE(log.find("echo hello > out.txt"), std::string::npos) << log;
  std::string lane_result = read_text(dir / "lanes/write/result.json");
  EXPECT_EQ(schema_errors("omk.lane-result.v1", lane_result), "");
  EXPECT_EQ(JsonDoc::parse(lane_result)["provider"], "codex");

  // decisions.jsonl: the router's decision; harness.json: the names the lane was given.
  auto decisions = read_jsonl(dir / "decisions.jsonl");
  ASSERT_FALSE(decisions.empty());
  bool routed = false;
  for (const auto& decision : decisions) {
    EXPECT_EQ(schema_errors("omk.decision.v1", decision.dump()), "");
    if (decision["kind"] == "provider-selection" && decision["node"] == "write") {
      routed = true;
      EXPECT_EQ(decision["actor"], "runtime-router");
      EXPECT_EQ(decision["details"]["provider"], "codex");
      EXPECT_EQ(decision["details"]["preferred"], "codex");
      EXPECT_FALSE(decision["details"]["candidates"].empty());
    }
  }
  EXPECT_TRUE(routed);
  std::string harness = read_text(dir / "harness.json");
  EXPECT_EQ(schema_errors("omk.harness.v1", harness), "");
  auto lanes = JsonDoc::parse(harness)["lanes"];
  EXPECT_EQ(lanes["write"]["kind"], "agent");
  EXPECT_EQ(lanes["write"]["provider"], "codex");
  EXPECT_TRUE(lanes["write"]["mcp_servers"].is_array());

  // The prompt is never in a report; verify re-checks every gate; inspect shows the lane.
  auto verify = agents.omk({"verify", run});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  auto inspect = agents.omk({"inspect", run, "--node", "write"});
  EXPECT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("codex"), std::string::npos) << inspect.out;
  EXPECT_EQ(inspect.out.find("create out.txt containing hello"), std::string::npos);

  // The router's history counts the lane, evidence included.
  routing::EvidenceHistory history(project.root() / ".omk/history.db");
  auto stats = history.stats("codex");
  EXPECT_EQ(stats.turns, 1);
  EXPECT_EQ(stats.passed, 1);
}

TEST(AgentLanes, FailedGatesCountAsNotPassedInTheHistory) {
  SKIP_WITHOUT_PEERS();
  AgentProject agents(kWriteScript);
  auto result = agents.run(R"(
nodes:
  - id: write
    kind: agent
    prompt: create out.txt containing hello
    provider: codex
    risk: shell
    evidence:
      - file_exists: missing.txt
)",
                           {"--execution", "auto"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  std::string run = agents.project().latest_run();
  auto node = agents.project().node(run, "write");
  EXPECT_EQ(node["state"], "failed");
  EXPECT_NE(node["reason"].get<std::string>().find("file_exists"), std::string::npos);
  routing::EvidenceHistory history(agents.project().root() / ".omk/history.db");
  EXPECT_EQ(history.stats("codex").turns, 1);
  EXPECT_EQ(history.stats("codex").passed, 0);
  auto failures = history.failures("codex");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].evidence, routing::EvidenceResult::kFailed);
  EXPECT_EQ(failures[0].outcome, routing::TurnOutcome::kSucceeded);
}

TEST(AgentLanes, UnderAskAWriteLaneIsRefusedWithTheReason) {
  SKIP_WITHOUT_PEERS();
  AgentProject agents(kWriteScript);
  auto result = agents.run(R"(
nodes:
  - {id: write, kind: agent, prompt: create out.txt, provider: codex, risk: write}
)",
                           {"--execution", "ask"});
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_NE(result.err.find("write: this write lane would run on codex"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("--execution auto"), std::string::npos) << result.err;
  EXPECT_TRUE(agents.project().run_ids().empty());
  EXPECT_TRUE(agents.server().requests().empty());
}

std::string review_pipeline() {
  return R"(
nodes:
  - {id: change, run: "echo new-feature > feature.txt", worktree: true}
  - id: review
    kind: agent
    role: reviewer
    prompt: Review the change.
    provider: codex
    depends_on: [change]
  - id: accept
    run: "true"
    depends_on: [review]
    evidence:
      - review: {by: review}
)";
}

TEST(AgentLanes, AReviewGatePassesOnAnApproveVerdict) {
  SKIP_WITHOUT_PEERS();
  AgentProject agents(answer("The change is fine.\nVERDICT: approve"));
  auto result = agents.run(review_pipeline(), {"--execution", "auto"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  std::string run = agents.project().latest_run();
  EXPECT_EQ(agents.project().node(run, "review")["verdict"], "approve");
  EXPECT_EQ(agents.project().node(run, "accept")["state"], "done");
  // The reviewer was shown the change and told how to answer.
  std::string asked = agents.server().requests().dump();
  EXPECT_NE(asked.find("new-feature"), std::string::npos);
  EXPECT_NE(asked.find("VERDICT: request-changes"), std::string::npos);
  EXPECT_EQ(agents.omk({"verify", run}).exit_code, 0);
}

TEST(AgentLanes, AReviewGateFailsOnRequestChanges) {
  SKIP_WITHOUT_PEERS();
  AgentProject agents(
      answer("```json\n{\"verdict\": \"request-changes\", \"summary\": \"no test\"}\n```"));
  auto result = agents.run(review_pipeline(), {"--execution", "auto"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  std::string run = agents.project().latest_run();
  EXPECT_EQ(agents.project().node(run, "review")["state"], "done");
  EXPECT_EQ(agents.project().node(run, "review")["verdict"], "request-changes");
  auto accept = agents.project().node(run, "accept");
  EXPECT_EQ(accept["state"], "failed");
  EXPECT_NE(accept["reason"].get<std::string>().find("did not approve (verdict: request-changes)"),
            std::string::npos)
      << accept.dump();
}

TEST(AgentLanes, AGoalBecomesAPlannedPipeline) {
  SKIP_WITHOUT_PEERS();
  AgentProject agents(
      answer("Here is the plan.\n```yaml\ngoal: greet\nnodes:\n  - id: hello\n    run: echo hi > "
             "hi.txt\n    evidence:\n      - file_exists: hi.txt\n```\n"));
  auto result = agents.omk({"run", "Write hi.txt", "--execution", "auto", "--provider", "codex"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("the planner proposes (1 lane"), std::string::npos) << result.out;
  auto runs = agents.project().run_ids();
  ASSERT_EQ(runs.size(), 2u);
  // The planner's run: one read-only agent lane; its plan saved next to it.
  EXPECT_EQ(agents.project().node(runs[0], dag::kPlannerNode)["state"], "done");
  fs::path plan = agents.project().run_dir(runs[0]) / "plan.yaml";
  EXPECT_NE(read_text(plan).find("id: hello"), std::string::npos);
  EXPECT_EQ(agents.project().node(runs[1], "hello")["state"], "done");
  EXPECT_EQ(read_text(agents.project().root() / "hi.txt"), "hi\n");
  auto turn = JsonDoc::parse(
      read_text(agents.project().run_dir(runs[0]) / "lanes" / dag::kPlannerNode / "turn.json"));
  EXPECT_EQ(turn["route"]["risk"], "read");
  EXPECT_EQ(turn["route"]["read_only"], true);

  // --dry-run plans (the planner runs) and saves the plan, but runs none of its lanes.
  auto dry = agents.omk({"run", "Write hi.txt", "--dry-run", "--provider", "codex"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("run it with `omk run .omk/runs/"), std::string::npos) << dry.out;
  EXPECT_EQ(agents.project().run_ids().size(), 3u);

  // With --json, stdout is JSON Lines: the planner's events, then the plan document.
  auto json = agents.omk({"run", "Write hi.txt", "--dry-run", "--json", "--provider", "codex"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  std::istringstream lines(json.out);
  std::string line;
  JsonDoc last;
  while (std::getline(lines, line)) {
    last = JsonDoc::parse(line, nullptr, false);
    ASSERT_FALSE(last.is_discarded()) << "not one JSON document per line: " << line;
  }
  EXPECT_EQ(last["schema"], "omk.run-plan.v1") << json.out;
  EXPECT_NE(last["spec_source"].get<std::string>().find("plan.yaml"), std::string::npos);
  EXPECT_EQ(last["nodes"][0]["id"], "hello") << json.out;
}

TEST(AgentLanes, AnInvalidPlanIsRefusedWithTheAnswerSaved) {
  SKIP_WITHOUT_PEERS();
  AgentProject agents(answer("```yaml\nnodes:\n  - {id: a, run: x, depends_on: [missing]}\n```"));
  auto result = agents.omk({"run", "Do it", "--execution", "auto", "--provider", "codex"});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.err.find("not a valid pipeline"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("missing"), std::string::npos) << result.err;
  auto runs = agents.project().run_ids();
  ASSERT_EQ(runs.size(), 1u);  // only the planner's
  fs::path answer = agents.project().run_dir(runs[0]) / "lanes" / dag::kPlannerNode / "answer.md";
  EXPECT_NE(read_text(answer).find("depends_on: [missing]"), std::string::npos);
}

// Without any agent CLI or key, the router's reason is the lane's.
TEST(AgentLanes, WithNoRuntimeTheRoutersReasonIsGiven) {
  DagProject project;
  TempDir home;
  dag::AgentRuntimeOptions options;
  options.project_root = project.root();
  options.env = {{"HOME", home.path().string()}, {"PATH", "/usr/bin:/bin"}};
  options.config = load_config(project.root(), options.env);
  options.record_history = false;
  dag::RoutedAgentRuntime runtime(options);
  dag::NodeSpec node;
  node.id = "review";
  node.kind = dag::NodeKind::kAgent;
  node.prompt = "Review the change";
  node.provider = "auto";
  node.risk = "read";
  auto why = runtime.unavailable(node);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("no agent runtime can take this lane"), std::string::npos) << *why;
}

TEST(ReviewVerdict, LineAndJsonFormsAndTheLastOneCounts) {
  using dag::parse_review_verdict;
  EXPECT_EQ(parse_review_verdict("All good.\nVERDICT: approve")->verdict, "approve");
  EXPECT_EQ(parse_review_verdict("**Verdict:** Request-Changes.")->verdict, "request-changes");
  auto json = parse_review_verdict(
      "notes\n```json\n{\"verdict\": \"approve\", \"summary\": \"tests added\"}\n```\n");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->verdict, "approve");
  EXPECT_EQ(json->summary, "tests added");
  EXPECT_EQ(parse_review_verdict("VERDICT: approve\nwait, no.\nVERDICT: request-changes")->verdict,
            "request-changes");
  EXPECT_FALSE(parse_review_verdict("I approve of this change"));
  EXPECT_FALSE(parse_review_verdict("VERDICT: looks good"));
  EXPECT_FALSE(parse_review_verdict("```json\n{\"verdict\": \"yes\"}\n```"));
  EXPECT_FALSE(parse_review_verdict(""));
}

TEST(Planner, ThePlanIsTheLastFencedBlockWithNodes) {
  EXPECT_EQ(dag::extract_plan("a\n```yaml\nnodes: []\n```\nb\n```json\n{\"nodes\": [1]}\n```\n"),
            "{\"nodes\": [1]}\n");
  EXPECT_EQ(dag::extract_plan("```sh\nnodes\n```"), "```sh\nnodes\n```");
  EXPECT_EQ(dag::extract_plan("nodes:\n  - {id: a, run: x}\n"), "nodes:\n  - {id: a, run: x}\n");
  auto spec = dag::planner_spec("ship it", {});
  ASSERT_EQ(spec.nodes.size(), 1u);
  EXPECT_EQ(spec.nodes[0].risk, "read");
  EXPECT_EQ(spec.nodes[0].sandbox, "read-only");
  EXPECT_NE(spec.nodes[0].prompt.find("Goal: ship it"), std::string::npos);
}

}  // namespace
}  // namespace omk::test
