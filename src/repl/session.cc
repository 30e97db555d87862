#include "repl/session.h"

namespace omk::repl {

routing::TurnEnvironment Session::environment() const {
  routing::TurnEnvironment environment;
  environment.context = &context;
  environment.statuses = statuses;
  environment.inventory = &inventory;
  environment.grants = query.grants;
  environment.history = history.get();
  return environment;
}

routing::Execution Session::execution() const {
  if (options.execution) return *options.execution;
  return routing::parse_execution(context.config.string("runtime.execution"))
      .value_or(routing::Execution::kAsk);
}

std::unique_ptr<Session> open_session(ChatOptions options) {
  auto session = std::make_unique<Session>(
      Session{options,
              providers::ProviderContext::make(options.project_root, options.config, options.env),
              {},
              {},
              {},
              nullptr,
              options.risk,
              0,
              0,
              nullptr});
  // Offline: HealthOptions::probe stays false (no status command, no network).
  session->statuses = providers::check_providers(session->context);
  mcp::Locations locations{options.project_root, std::nullopt};
  if (auto home = env_value(options.env, "HOME"); home && !home->empty()) {
    locations.home = std::filesystem::path(*home);
  }
  session->query = mcp::inventory_query(locations, options.config, options.env);
  session->inventory = mcp::build_inventory(session->query);
  session->history = std::make_unique<routing::EvidenceHistory>(
      routing::EvidenceHistory::default_path(options.project_root));
  return session;
}

}  // namespace omk::repl
