#pragma once

#include "cli/context.h"
#include "mcp/inventory.h"

namespace omk::cli {

// The project, its configuration and the tool-plane inventory, as every `omk mcp` command
// sees them.
struct McpSetting {
  ProjectRoot root;
  Config config;
  mcp::Locations locations;
  mcp::InventoryQuery query;
};

McpSetting load_mcp_setting(const Context& context);

// What bare `omk` shows after its help inside a project: the offline tool-plane summary (active
// MCP servers, skills, hooks, diagnostics), built without starting or contacting anything.
// Empty outside a project (no marker, no git top level).
std::string startup_tool_plane_summary(const Context& context);

}  // namespace omk::cli

namespace omk::cli {
// Subcommand groups of `omk mcp`, one file each.
void register_mcp_edit_commands(CLI::App& group, Context& context);
void register_mcp_active_commands(CLI::App& group, Context& context);
void register_mcp_serve_command(CLI::App& group, Context& context);
}  // namespace omk::cli
