#include "cli/mcp_support.h"

#include "core/error.h"
#include "core/log.h"
#include "mcp/summary.h"

namespace omk::cli {

McpSetting load_mcp_setting(const Context& context) {
  ProjectRoot root = context.project_root();
  Config config = context.config(root);
  mcp::Locations locations{root.path, std::nullopt};
  if (auto home = env_value(context.env, "HOME"); home && !home->empty()) {
    locations.home = std::filesystem::path(*home);
  }
  mcp::InventoryQuery query = mcp::inventory_query(locations, config, context.env);
  return {std::move(root), std::move(config), locations, std::move(query)};
}

std::string startup_tool_plane_summary(const Context& context) {
  try {
    if (context.project_root().source == RootSource::kCwd) return "";
  } catch (const UserError&) {
    return "";  // HOME or no project: nothing to summarise
  }
  try {
    return mcp::render_offline_summary(mcp::build_inventory(load_mcp_setting(context).query));
  } catch (const UserError& error) {
    log::warn("{}", error.what());  // a broken config is worth one line, not a failed `omk`
    return "";
  }
}

}  // namespace omk::cli
