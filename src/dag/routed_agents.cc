#include "dag/routed_agents.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/log.h"
#include "dag/git.h"
#include "dag/review_verdict.h"
#include "mcp/inventory.h"
#include "providers/health_check.h"
#include "providers/registry.h"
#include "runs/private_files.h"
#include "runs/run_recorder.h"

namespace omk::dag {
namespace fs = std::filesystem;
namespace {

// A reviewer sees at most this much of the change inline; the rest it reads with git.
constexpr size_t kDiffLimit = 24000;

std::string event_line(const providers::TurnEvent& event) {
  using Kind = providers::TurnEvent::Kind;
  switch (event.kind) {
    case Kind::kText:
      return event.text;  // streamed deltas join up in the log
    case Kind::kCommand:
      return fmt::format("\n$ {}{}\n", event.command,
                         event.exit_code ? fmt::format("  (exit {})", *event.exit_code) : "");
    case Kind::kFileChange:
      return fmt::format("\n~ {}\n", event.path);
    case Kind::kTool:
      return fmt::format("\n[tool {}]\n", event.tool);
    case Kind::kError:
      return fmt::format("\nerror: {}\n", event.text);
  }
  return "";
}

bool read_role(const NodeSpec& node) {
  return node.risk == "read";
}

}  // namespace

struct RoutedAgentRuntime::Environment {
  providers::ProviderContext context;
  std::optional<mcp::ToolPlaneInventory> inventory;
  std::unique_ptr<routing::EvidenceHistory> history;
  routing::TurnEnvironment turn;
};

RoutedAgentRuntime::RoutedAgentRuntime(AgentRuntimeOptions options)
    : options_(std::move(options)) {}

RoutedAgentRuntime::~RoutedAgentRuntime() = default;

const routing::TurnEnvironment& RoutedAgentRuntime::environment() const {
  std::call_once(built_, [this] {
    auto env = std::make_unique<Environment>(Environment{
        providers::ProviderContext::make(options_.project_root, options_.config, options_.env),
        std::nullopt,
        nullptr,
        {}});
    mcp::Locations locations{options_.project_root, std::nullopt};
    if (auto home = env_value(options_.env, "HOME"); home && !home->empty()) {
      locations.home = fs::path(*home);
    }
    try {
      mcp::InventoryQuery query = mcp::inventory_query(locations, options_.config, options_.env);
      env->turn.grants = query.grants;
      env->inventory = mcp::build_inventory(query);
    } catch (const UserError& error) {
      // A broken MCP config gives agent lanes no tool plane, as `omk` itself would warn.
      log::warn("agent lanes get no MCP servers, skills or hooks: {}", error.what());
    }
    if (options_.record_history) {
      try {
        env->history = std::make_unique<routing::EvidenceHistory>(
            routing::EvidenceHistory::default_path(options_.project_root));
      } catch (const std::exception& error) {
        log::warn("agent lanes are routed without the evidence history: {}", error.what());
      }
    }
    env->turn.context = &env->context;
    env->turn.statuses = providers::check_providers(env->context);
    env->turn.inventory = env->inventory ? &*env->inventory : nullptr;
    env->turn.history = env->history.get();
    environment_ = std::move(env);
  });
  return environment_->turn;
}

routing::TurnAsk RoutedAgentRuntime::ask_for(const NodeSpec& node) const {
  routing::TurnAsk ask;
  ask.user_text = prompt_for(node);
  ask.provider = node.provider;
  if ((ask.provider.empty() || ask.provider == "auto") && !options_.provider.empty()) {
    ask.provider = options_.provider;
  }
  if (ask.provider == "auto") ask.provider.clear();
  if (!options_.execution.empty()) ask.execution = providers::parse_execution(options_.execution);
  // The spec's risk counts when it was written, and for read roles (reviewer, planner, ...):
  // their lanes are read-only whatever words the prompt uses.
  if (!node.risk.empty() && (node.field_marks.count("risk") || read_role(node))) {
    ask.risk_override = providers::parse_risk(node.risk);
  }
  ask.run_id = run_.run_id;
  ask.node_id = node.id;
  ask.node_role = node.role.empty() ? "agent" : node.role;
  return ask;
}

std::string RoutedAgentRuntime::changes_to_review(const NodeSpec& node) const {
  if (!run_.recorder || !run_.spec) return "";
  runs::RunState state = run_.recorder->state();
  Git git(options_.project_root);
  std::string out;
  for (const std::string& dep : node.depends_on) {
    const runs::NodeRecord* record = state.find(dep);
    if (!record || record->commit.empty()) continue;
    std::string base = record->start_commit.empty() ? run_.base_commit : record->start_commit;
    ToolResult diff = git.run({"diff", "--no-color", "--no-ext-diff", base, record->commit});
    if (!diff.ok()) continue;
    out += fmt::format("\nLane {} changed {} file(s) on branch {} (see `git diff {} {}`):\n", dep,
                       record->files_changed.size(), record->branch.empty() ? "?" : record->branch,
                       base.substr(0, 12), record->commit.substr(0, 12));
    if (diff.out.size() > kDiffLimit) {
      out += "```diff\n" + diff.out.substr(0, kDiffLimit) + "\n```\n(cut at " +
             std::to_string(kDiffLimit) + " characters; read the rest with git)\n";
    } else {
      out += "```diff\n" + diff.out + "```\n";
    }
  }
  return out;
}

std::string RoutedAgentRuntime::prompt_for(const NodeSpec& node) const {
  std::string text = node.prompt;
  if (reviewers_.count(node.id) || node.role == "reviewer") {
    std::string changes = changes_to_review(node);
    if (!changes.empty()) text += "\n\nThe change to review:\n" + changes;
    text += "\n\n" + review_verdict_instructions();
  }
  return text;
}

std::optional<std::string> RoutedAgentRuntime::unavailable(const NodeSpec& node) const {
  const routing::TurnEnvironment& env = environment();
  routing::RouteExplanation route;
  try {
    route = routing::explain_route(env, ask_for(node));
  } catch (const UserError& error) {
    return std::string(error.what());
  }
  if (!route.decision.selected) {
    return "no agent runtime can take this lane: " + route.decision.reason +
           " (see `omk provider doctor`)";
  }
  if (route.injection && route.injection->blocked) return *route.injection->blocked;
  const routing::TurnPolicy& policy = route.plan.policy;
  const providers::Adapter* adapter = providers::find_adapter(*route.decision.selected);
  if (route.execution == providers::Execution::kAsk && adapter &&
      adapter->spec().cannot_ask_headless && policy.capabilities.write_capable() &&
      !policy.read_only) {
    return fmt::format(
        "this {} lane would run on {}, which acts without asking ({}), and a lane has no "
        "terminal to ask on under --execution ask; run the pipeline with --execution auto",
        providers::to_string(policy.risk), *route.decision.selected, adapter->spec().headless_note);
  }
  if (policy.approval == routing::Approval::kAskHuman) {
    return fmt::format(
        "this {} lane needs a person's approval, and a lane has no terminal to ask "
        "on; run the pipeline with --execution auto",
        providers::to_string(policy.risk));
  }
  if (policy.approval == routing::Approval::kRefused) {
    return fmt::format("--execution never refuses this {} lane ({})",
                       providers::to_string(policy.risk), policy.reason);
  }
  return std::nullopt;
}

void RoutedAgentRuntime::begin_run(const AgentRunContext& run) {
  run_ = run;
  reviewers_.clear();
  if (!run.spec) return;
  for (const NodeSpec& node : run.spec->nodes) {
    for (const GateSpec& gate : node.evidence) {
      if (gate.kind == GateKind::kReview) reviewers_.insert(gate.review_by);
    }
  }
}

AttemptResult RoutedAgentRuntime::run(const AttemptRequest& request, const std::string& workspace) {
  const NodeSpec& node = *request.node;
  AttemptResult result;
  result.outcome = Scheduler::Outcome::kFailed;
  result.outcome_name = "failed";
  const routing::TurnEnvironment& env = environment();
  routing::TurnAsk ask = ask_for(node);

  routing::TurnRun turn_run;
  turn_run.workspace = workspace;
  turn_run.profile = sandbox::parse_profile(node.sandbox);
  if (node.timeout_ms > 0) turn_run.timeout = std::chrono::milliseconds(node.timeout_ms);
  turn_run.cancel = run_.cancel;
  bool streamed_text = false;
  turn_run.on_event = [&request, &streamed_text](const providers::TurnEvent& event) {
    if (event.kind == providers::TurnEvent::Kind::kText) streamed_text = true;
    if (request.on_output) request.on_output(event_line(event));
  };
  turn_run.on_start = [this, &node](const std::string& provider,
                                    const routing::CapabilityInjection& injection) {
    if (!run_.recorder) return;
    Json entry = injection.names_json();
    entry["kind"] = "agent";
    entry["provider"] = provider;
    entry["tools"] = Json::array();
    run_.recorder->set_harness_lane(node.id, entry);
  };

  routing::RoutedTurn turn;
  try {
    turn = routing::run_routed_turn(env, ask, turn_run);
  } catch (const UserError& error) {
    result.reason = error.what();
    result.exit_code = to_int(error.code());
    return result;
  }

  fs::path lane_dir = run_.recorder ? run_.recorder->lane_dir(node.id) : fs::path();
  if (run_.recorder) {
    runs::write_private_file(lane_dir / "envelope.txt", turn.route.plan.envelope.text);
    Json document = json_envelope("lane-turn");
    document["run_id"] = run_.run_id;
    document["node"] = node.id;
    document["attempt"] = request.number;
    Json body = routing::turn_json(turn);  // named: items() must not outlive a temporary
    for (auto& [key, value] : body.items()) document[key] = value;
    runs::write_private_json(lane_dir / "turn.json", document);

    Json details = routing::route_json(turn.route);
    details["attempt"] = request.number;
    details["outcome"] = std::string(routing::to_string(turn.outcome));
    std::string reason = turn.route.decision.reason.empty() ? "routed" : turn.route.decision.reason;
    run_.recorder->decide(node.id, "provider-selection", reason, details, "runtime-router");
    if (turn.fallback.attempts.size() > 1) {
      Json tried = Json::array();
      for (const auto& attempt : turn.fallback.attempts) {
        tried.push_back({{"runtime", attempt.runtime},
                         {"outcome", std::string(routing::to_string(attempt.result.outcome))},
                         {"note", attempt.note}});
      }
      run_.recorder->decide(node.id, "fallback-routing",
                            turn.fallback.reason.empty() ? "fell back" : turn.fallback.reason,
                            {{"attempt", request.number}, {"tried", tried}}, "runtime-router");
    }
  }

  const providers::TurnResult* last = turn.last();
  if (last) result.provider = last->provider;
  result.exit_code = turn.exit_code;
  switch (turn.outcome) {
    case routing::TurnOutcome::kSucceeded:
      result.outcome = Scheduler::Outcome::kDone;
      result.outcome_name = "done";
      break;
    case routing::TurnOutcome::kTimedOut:
      result.outcome_name = "timeout";
      result.reason = turn.message.empty() ? "the agent timed out" : turn.message;
      break;
    case routing::TurnOutcome::kCancelled:
      result.outcome = Scheduler::Outcome::kCancelled;
      result.outcome_name = "cancelled";
      result.reason = "cancelled: omk was interrupted";
      break;
    case routing::TurnOutcome::kRefused:
    case routing::TurnOutcome::kFailed:
      result.reason = turn.message.empty() ? "the agent failed" : turn.message;
      if (turn.outcome == routing::TurnOutcome::kRefused &&
          turn.route.execution == providers::Execution::kAsk) {
        result.reason +=
            " (DAG agent lanes have no terminal to ask on: run the pipeline with "
            "--execution auto)";
      }
      break;
  }
  if (last && turn.outcome == routing::TurnOutcome::kSucceeded) {
    // The final message goes to the log unless the CLI streamed it as text already.
    if (request.on_output && !streamed_text && !last->final_message.empty()) {
      request.on_output("\n--- final message ---\n" + last->final_message + "\n");
    }
    if (auto verdict = parse_review_verdict(last->final_message)) {
      result.verdict = verdict->verdict;
    }
    std::lock_guard lock(mutex_);
    ran_on_[node.id] = last->provider;
  }
  return result;
}

void RoutedAgentRuntime::attempt_finished(const AttemptRequest& request,
                                          const AttemptResult& result) {
  std::string runtime;
  {
    std::lock_guard lock(mutex_);
    auto found = ran_on_.find(request.node->id);
    if (found == ran_on_.end()) return;
    runtime = found->second;
    ran_on_.erase(found);
  }
  if (!environment_ || !environment_->history || result.gates.empty()) return;
  bool passed = std::all_of(result.gates.begin(), result.gates.end(),
                            [](const runs::GateRecord& gate) { return gate.passed; });
  try {
    environment_->history->record_evidence(
        run_.run_id, request.node->id, runtime,
        passed ? routing::EvidenceResult::kPassed : routing::EvidenceResult::kFailed);
  } catch (const std::exception& error) {
    log::warn("could not record lane {}'s evidence in the history: {}", request.node->id,
              error.what());
  }
}

}  // namespace omk::dag
