#pragma once

#include <vector>

#include "mcp/diagnostic.h"
#include "mcp/inventory.h"

namespace omk::mcp {

// The offline checks `omk mcp doctor` adds to the inventory's diagnostics: literal secrets in
// config files (they belong in the environment, referenced as ${NAME}), and required servers
// that cannot work as configured. Like the inventory, nothing is started.
std::vector<Diagnostic> doctor_diagnostics(const ToolPlaneInventory& inventory);

// The common-shape entry of a parsed server (for checks that work on entries).
Json entry_of(const ServerConfig& server);

}  // namespace omk::mcp
