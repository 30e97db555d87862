// `omk run "GOAL"`: a planner agent lane proposes the pipeline; omk validates it with the spec
// reader, shows it, asks on a terminal under --execution ask, and runs it.
#include <unistd.h>

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/run_support.h"
#include "core/error.h"
#include "core/output.h"
#include "dag/planner.h"
#include "dag/spec_view.h"
#include "runs/private_files.h"
#include "runs/run_store.h"

namespace omk::cli {
namespace fs = std::filesystem;
namespace {

// The planner's final message, from its lane's turn.json.
std::string planner_answer(const fs::path& run_dir) {
  fs::path turn = run_dir / "lanes" / dag::kPlannerNode / "turn.json";
  std::error_code ec;
  if (!fs::exists(turn, ec)) return "";
  std::ifstream in(turn, std::ios::binary);
  std::stringstream data;
  data << in.rdbuf();
  auto document = Json::parse(data.str(), nullptr, false);
  if (!document.is_object() || !document["final_message"].is_string()) return "";
  return document["final_message"].get<std::string>();
}

bool approved_on_terminal() {
  print_out("Run this plan? [y/N] ");
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace

int run_goal(const GoalRun& goal, dag::RunRequest request, dag::AgentRuntime& agents,
             const ProjectRoot& root) {
  const bool ask = request.execution == "ask";
  if (ask && !goal.dry_run && !::isatty(STDIN_FILENO)) {
    throw policy_error(
        "omk run \"GOAL\" shows the planner's lanes for approval under --execution ask, and "
        "there is no terminal to ask on. Use --execution auto to run the plan without asking, "
        "or `omk run --dry-run \"GOAL\"` to save the plan and then `omk run` that file");
  }

  // 1. The planner lane, recorded as a run of its own.
  dag::RunRequest planner = request;
  planner.spec = dag::planner_spec(goal.goal, goal.defaults);
  planner.spec_source = "goal";
  dag::check_runnable(planner, agents);
  if (!goal.json) print_out("planning: asking a planner agent for the lanes\n");
  std::string planner_run;
  int code = execute_and_report(planner, agents, goal.json, root, &planner_run);
  if (code != 0) {
    throw UserError(
        code == to_int(ExitCode::kInterrupted) ? ExitCode::kInterrupted : ExitCode::kFailed,
        "the planner lane did not finish (run " + planner_run + "); see `omk inspect " +
            planner_run + " --node plan`");
  }
  runs::RunStore store(root.path);
  fs::path run_dir = store.run_dir(planner_run);
  std::string answer = planner_answer(run_dir);
  fs::path answer_path = run_dir / "lanes" / dag::kPlannerNode / "answer.md";
  runs::write_private_file(answer_path, answer);
  std::string shown_answer = fs::relative(answer_path, root.path).string();

  // 2. The plan, validated like any pipeline file.
  std::string text = dag::extract_plan(answer);
  fs::path plan_path = run_dir / "plan.yaml";
  std::string shown_plan = fs::relative(plan_path, root.path).string();
  auto result = dag::read_spec(text, shown_plan, goal.defaults);
  if (!result.spec) {
    std::string problems;
    for (const auto& problem : result.problems) {
      problems += "  " + dag::format_problem(shown_plan, problem) + "\n";
    }
    throw usage_error("the planner's answer is not a valid pipeline:\n" + problems +
                      "Its answer is saved in " + shown_answer +
                      "; fix it into a pipeline file and run `omk run FILE`");
  }
  dag::DagSpec plan = std::move(*result.spec);
  if (plan.goal.empty()) plan.goal = goal.goal;
  runs::write_private_file(plan_path, text);

  request.spec = plan;
  request.spec_source = shown_plan;
  request.base_commit = dag::project_head(root.path);
  if (!goal.json) {
    print_out(fmt::format("\nthe planner proposes ({} lane{}, saved in {}):\n{}", plan.nodes.size(),
                          plan.nodes.size() == 1 ? "" : "s", shown_plan,
                          dag::spec_as_text(plan, nullptr)));
  }
  if (goal.dry_run) {
    dag::check_runnable(request, agents);
    if (goal.json) {
      // After the planner's event lines, the plan is one more line: stdout stays JSON Lines.
      Json plan_document = dag::plan_json(request, agents);  // spec_source: the saved plan
      print_out(plan_document.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n");
      return 0;
    }
    print_dry_run(request, agents, false);
    print_out("run it with `omk run " + shown_plan + "`\n");
    return 0;
  }
  if (request.execution == "never") {
    throw policy_error("--execution never: the plan was not run; it is saved in " + shown_plan);
  }
  dag::check_runnable(request, agents);
  if (ask && !approved_on_terminal()) {
    throw policy_error("the plan was not approved; it is saved in " + shown_plan);
  }
  return execute_and_report(request, agents, goal.json, root);
}

}  // namespace omk::cli
