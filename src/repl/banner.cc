#include "repl/banner.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.h"
#include "mcp/summary.h"
#include "repl/todos.h"

namespace omk::repl {
namespace {

std::string healthy_list(const Session& session) {
  std::vector<std::string> healthy;
  for (const providers::ProviderStatus& status : session.statuses) {
    if (status.health.healthy() && status.settings.enabled) healthy.push_back(status.adapter->id());
  }
  return healthy.empty() ? std::string("none") : fmt::format("{}", fmt::join(healthy, ", "));
}

std::string sandbox_text(const Session& session) {
  if (session.options.sandbox) return std::string(sandbox::to_string(*session.options.sandbox));
  return session.context.config.string("runtime.sandbox");
}

std::string choice_text(const Session& session) {
  if (!session.options.provider.empty()) return session.options.provider;
  return session.context.config.string("runtime.provider");
}

}  // namespace

std::string provider_line(const Session& session) {
  routing::TurnAsk ask;
  ask.provider = session.options.provider;
  ask.model = session.options.model;
  ask.execution = session.options.execution;
  std::string choice = choice_text(session);
  try {
    routing::RouteExplanation route = routing::explain_route(session.environment(), ask);
    if (!route.decision.selected) {
      return fmt::format("provider: none can take a turn ({}): {}; see `omk provider doctor`",
                         choice, route.decision.reason);
    }
    std::string model = session.options.model.empty() ? "" : " model " + session.options.model;
    return fmt::format("provider: {}{} (choice: {}; healthy: {})", *route.decision.selected, model,
                       choice, healthy_list(session));
  } catch (const UserError& error) {
    return fmt::format("provider: {} cannot be used: {}", choice, error.what());
  }
}

std::string startup_banner(const Session& session) {
  std::string out = fmt::format("omk chat · {}\n", session.options.project_root.string());
  out += provider_line(session) + "\n";
  out += fmt::format("execution: {} · sandbox: {} · turn timeout: {} ms\n",
                     routing::to_string(session.execution()), sandbox_text(session),
                     session.context.config.integer("runtime.turn_timeout_ms"));
  out += mcp::render_startup_summary(session.inventory);
  if (!out.empty() && out.back() != '\n') out += "\n";
  out += "Type a request, /help for commands, /exit (or Ctrl-D) to leave.\n";
  return out;
}

std::string status_text(const Session& session) {
  std::string out = fmt::format("project: {}\n", session.options.project_root.string());
  out += provider_line(session) + "\n";
  out += fmt::format("execution: {} · sandbox: {} · turn timeout: {} ms\n",
                     routing::to_string(session.execution()), sandbox_text(session),
                     session.context.config.integer("runtime.turn_timeout_ms"));
  out += fmt::format("risk: {}\n", session.risk_override
                                       ? fmt::format("{} (set with /risk; /risk auto to infer)",
                                                     routing::to_string(*session.risk_override))
                                       : std::string("inferred from each prompt"));
  out += fmt::format("session run: {} · turns: {} ({} not succeeded)\n",
                     session.run_id().empty() ? "(created with the first turn)" : session.run_id(),
                     session.turns, session.failed_turns);
  std::vector<TodoItem> todos = load_todos(session.options.project_root);
  size_t done = 0;
  for (const TodoItem& item : todos) done += item.done ? 1 : 0;
  out += fmt::format("todos: {} of {} done\n", done, todos.size());
  out += mcp::render_startup_summary(session.inventory);
  if (!out.empty() && out.back() != '\n') out += "\n";
  return out;
}

}  // namespace omk::repl
