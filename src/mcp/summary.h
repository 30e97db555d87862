#pragma once

#include <string>

#include "core/json_output.h"
#include "mcp/inventory.h"

namespace omk::mcp {

// What may be shown of a server without risk: the command's basename or the URL's origin.
// Never args, env, headers, tokens or a URL's path and query.
std::string server_target(const ServerConfig& server);

// The offline summary (omk mcp list, startup): active servers with scope, transport, target,
// enabled/required and tool filters; skills and hooks counted; every diagnostic. Nothing in it
// required starting a server.
std::string render_offline_summary(const ToolPlaneInventory& inventory);

// A short form for interactive startup: one line, plus the diagnostics.
std::string render_startup_summary(const ToolPlaneInventory& inventory);

// omk.mcp-list.v1 (without the envelope's "schema", which the caller adds).
Json inventory_json(const ToolPlaneInventory& inventory);
Json server_json(const ServerConfig& server);

}  // namespace omk::mcp
