#include "repl/turn_executor.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.h"
#include "core/output.h"
#include "process/cancel.h"
#include "repl/stream_printer.h"
#include "repl/terminal.h"
#include "repl/todos.h"
#include "repl/turn_workspace.h"

namespace omk::repl {
namespace {

Json session_manifest(const Session& session) {
  const ChatOptions& options = session.options;
  Json chat = Json::object();
  chat["provider"] = options.provider.empty() ? session.context.config.string("runtime.provider")
                                              : options.provider;
  chat["model"] = options.model.empty() ? Json(nullptr) : Json(options.model);
  chat["execution"] = std::string(routing::to_string(session.execution()));
  chat["sandbox"] = options.sandbox ? std::string(sandbox::to_string(*options.sandbox))
                                    : session.context.config.string("runtime.sandbox");
  chat["mcp_scope"] = std::string(to_string(session.inventory.scopes.mcp));
  chat["once"] = options.once.has_value();
  return {{"goal", options.once ? "chat --once" : "chat session"},
          {"kind", "chat"},
          {"chat", chat},
          {"warnings", Json::array()}};
}

std::string outcome_message(const Session& session, const routing::RoutedTurn& turn) {
  switch (turn.outcome) {
    case routing::TurnOutcome::kTimedOut:
      return fmt::format(
          "the turn ran longer than its limit of {} ms and was stopped (set [runtime] "
          "turn_timeout_ms or OMK_TURN_TIMEOUT_MS for a longer one)",
          session.context.config.integer("runtime.turn_timeout_ms"));
    case routing::TurnOutcome::kCancelled:
      return "the turn was cancelled (Ctrl-C): the agent and its processes were stopped";
    default:
      return turn.message;
  }
}

std::string approval_question(const providers::ApprovalRequest& request) {
  return fmt::format("{} would run a {} turn ({}) in a {} sandbox in {}: {}. Allow it?",
                     request.provider, providers::to_string(request.risk),
                     fmt::join(request.capabilities.names(), ", "),
                     sandbox::to_string(request.profile), request.workspace.string(), request.why);
}

}  // namespace

TurnReport execute_turn(Session& session, const std::string& text, bool json) {
  ++session.turns;
  TurnReport report;
  report.node = fmt::format("turn-{}", session.turns);
  if (!session.log)
    session.log = SessionLog::start(session.options.project_root, session_manifest(session));
  SessionLog& log = *session.log;
  log.turn_declared(report.node);

  routing::TurnAsk ask;
  ask.user_text = text;
  ask.provider = session.options.provider;
  ask.model = session.options.model;
  ask.execution = session.options.execution;
  ask.risk_override = session.risk_override;
  ask.run_id = log.run_id();
  ask.node_id = report.node;

  const bool interactive = session.options.interactive;
  StreamPrinter printer(json);
  process::CancelToken cancel;
  routing::TurnEnvironment environment = session.environment();
  routing::RoutedTurn turn;
  TurnWorkspace workspace;
  try {
    workspace =
        prepare_turn_workspace(session, routing::explain_route(environment, ask), report.node);
    routing::TurnRun run;
    run.workspace = workspace.path;
    run.profile = session.options.sandbox;
    run.cancel = &cancel;
    run.on_event = [&printer](const providers::TurnEvent& event) { printer.on_event(event); };
    run.on_start = [&](const std::string& provider, const routing::CapabilityInjection& injection) {
      log.attempt_started(report.node, provider, injection);
      if (!json) printer.note(fmt::format("→ {} · {}", provider, report.node));
    };
    if (interactive) {
      run.approve = [&](const providers::ApprovalRequest& request) {
        printer.finish();
        return ask_yes_no(approval_question(request), &cancel);
      };
      run.approve_turn = [&](const routing::TurnPolicy& policy) {
        printer.finish();
        return ask_yes_no(fmt::format("This is a {} turn ({}). Run it?",
                                      routing::to_string(policy.risk), policy.reason),
                          &cancel);
      };
    }
    process::InterruptScope interrupts(cancel);
    turn = routing::run_routed_turn(environment, ask, run);
  } catch (const UserError& error) {
    printer.finish();
    if (workspace.worktree) routing::remove_turn_worktree(*workspace.worktree);
    report.exit_code = to_int(error.code());
    report.message = error.what();
    ++session.failed_turns;
    log.turn_rejected(report.node, report.message, report.exit_code);
    if (!json) print_err(fmt::format("[{}] not run: {}\n", report.node, report.message));
    report.document = json_envelope("turn");
    report.document["run_id"] = log.run_id();
    report.document["node"] = report.node;
    report.document["outcome"] = "refused";
    report.document["exit_code"] = report.exit_code;
    report.document["message"] = report.message;
    report.document["route"] = nullptr;
    report.document["attempts"] = Json::array();
    report.document["stopped_on_change"] = false;
    report.document["final_message"] = nullptr;
    report.document["todos"] = 0;
    return report;
  }
  printer.finish();
  ApplyOutcome applied = finish_turn_workspace(session, workspace, turn, json, &cancel);

  report.exit_code = turn.exit_code;
  report.message =
      turn.outcome == routing::TurnOutcome::kSucceeded ? "" : outcome_message(session, turn);
  if (applied.not_applied && turn.outcome == routing::TurnOutcome::kSucceeded) {
    // The agent finished, but its work is not in the project: the turn has not done its job.
    report.exit_code = 1;
    report.message = *applied.not_applied;
  } else if (applied.not_applied) {
    report.message += "; " + *applied.not_applied;
  }
  if (report.exit_code != 0) ++session.failed_turns;
  const providers::TurnResult* last = turn.last();
  std::vector<TodoItem> todos =
      last ? parse_checklist(last->final_message) : std::vector<TodoItem>{};

  report.document = json_envelope("turn");
  report.document["run_id"] = log.run_id();
  report.document["node"] = report.node;
  Json body = routing::turn_json(turn);
  body["message"] = report.message;
  body["exit_code"] = report.exit_code;
  for (auto it = body.begin(); it != body.end(); ++it) report.document[it.key()] = it.value();
  report.document["todos"] = todos.size();
  report.document["workspace"] = applied.document;
  log.turn_finished(report.node, turn, report.document);
  if (!todos.empty()) sync_todos(session.options.project_root, todos, log.run_id(), report.node);

  if (!json) {
    if (last && !printer.printed_text() && !last->final_message.empty()) {
      std::string answer = last->final_message;
      if (answer.back() != '\n') answer += "\n";
      print_out(answer);
    }
    std::string provider = last ? last->provider : std::string("-");
    std::string risk(routing::to_string(turn.route.plan.policy.risk));
    if (report.exit_code == 0) {
      print_out(fmt::format(
          "[{}] succeeded · {} · risk {} · {:.1f} s{}\n", report.node, provider, risk,
          last ? static_cast<double>(last->duration_ms) / 1000.0 : 0.0,
          todos.empty() ? "" : fmt::format(" · {} todos synced (/todo)", todos.size())));
    } else {
      std::string what = turn.outcome == routing::TurnOutcome::kSucceeded
                             ? std::string("not applied")
                             : std::string(routing::to_string(turn.outcome));
      print_err(fmt::format("[{}] {} · {} · risk {}: {}\n", report.node, what, provider, risk,
                            report.message));
    }
  }
  return report;
}

}  // namespace omk::repl
