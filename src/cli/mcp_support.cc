#include "cli/mcp_support.h"

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

}  // namespace omk::cli
