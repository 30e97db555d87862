#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mcp/inventory.h"
#include "providers/context.h"
#include "providers/health_check.h"
#include "repl/chat_options.h"
#include "repl/session_log.h"
#include "routing/evidence_history.h"
#include "routing/turn_runner.h"

namespace omk::repl {

// One chat session's state: what it was started with, what it found offline at startup (the
// providers' health from the probe cache, the tool-plane inventory), the risk override the
// user set with /risk, and its run in the store (created with the first turn).
struct Session {
  ChatOptions options;
  providers::ProviderContext context;
  std::vector<providers::ProviderStatus> statuses;
  mcp::InventoryQuery query;
  mcp::ToolPlaneInventory inventory;
  std::unique_ptr<routing::EvidenceHistory> history;
  std::optional<routing::Risk> risk_override;
  int turns = 0;
  int failed_turns = 0;
  std::unique_ptr<SessionLog> log;  // null until the first turn

  routing::TurnEnvironment environment() const;
  routing::Execution execution() const;
  // "" until the first turn has created the session's run.
  std::string run_id() const { return log ? log->run_id() : std::string(); }
};

// Builds the session offline: no MCP server is started, no socket opened; provider health
// comes from the offline checks and the probe cache.
std::unique_ptr<Session> open_session(ChatOptions options);

}  // namespace omk::repl
