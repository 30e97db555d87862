#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json_output.h"
#include "mcp/inventory.h"
#include "routing/capability.h"

namespace omk::routing {

// What a turn's child is given from the tool plane: the scoped MCP servers (by name), skills
// and hook registrations, de-duplicated; optional servers that cannot be given are left out
// with the reason, and a required one that cannot be given blocks the turn.
struct CapabilityInjection {
  std::vector<std::string> mcp_servers;  // handed to the provider (sorted)
  std::vector<std::string> skills;       // names (sorted)
  std::vector<std::string> hooks;        // "PreToolUse Bash: omk", registrations its CLI reads
  std::vector<std::string> dropped;      // "docs: command not found (optional, left out)"
  std::optional<std::string> blocked;    // why the turn cannot run, naming the required server

  // harness.json's body: the names the turn's child was given (never commands or env).
  Json names_json() const;
};

// The inventory is the scope decision (mcp::build_inventory); this picks what one provider can
// take. A server is available when it is enabled, valid, and (stdio) its command was found;
// a provider without the mcp capability gets no servers. Skills go along only to providers
// that read skills (`provider_takes_skills`); hooks are those registered for the provider's own
// agent (claude, codex, kimi).
CapabilityInjection inject_capabilities(const mcp::ToolPlaneInventory& inventory,
                                        const std::string& provider,
                                        const CapabilitySet& provider_capabilities,
                                        bool provider_takes_skills);

Json to_json(const CapabilityInjection& injection);

}  // namespace omk::routing
