#include "mcp/inventory.h"

#include <fmt/format.h>

#include <algorithm>

#include "mcp/command_lookup.h"

namespace omk::mcp {
namespace fs = std::filesystem;

bool ServerGrants::granted(std::string_view server, std::string_view variable) const {
  auto matches = [&](const std::vector<std::string>& names) {
    return std::any_of(names.begin(), names.end(), [&](const std::string& name) {
      if (!name.empty() && name.back() == '*') {
        return variable.substr(0, name.size() - 1) ==
               std::string_view(name).substr(0, name.size() - 1);
      }
      return name == variable;
    });
  };
  if (matches(everyone)) return true;
  auto it = per_server.find(std::string(server));
  return it != per_server.end() && matches(it->second);
}

InventoryQuery inventory_query(const Locations& locations, const Config& config,
                               const EnvMap& env) {
  InventoryQuery query;
  query.locations = locations;
  query.scopes = scope_settings(config);
  query.env = env;
  query.grants.everyone = config.strings("env.grant_secrets");
  for (const std::string& name : config.tables("mcp")) {
    query.grants.per_server[name] = config.strings("mcp." + name + ".grant");
  }
  return query;
}

const ServerConfig* ToolPlaneInventory::find_server(std::string_view name) const {
  auto it = std::find_if(servers.begin(), servers.end(),
                         [&](const ServerConfig& server) { return server.name == name; });
  return it == servers.end() ? nullptr : &*it;
}

fs::path server_base_dir(const ServerConfig& server, const Locations& locations) {
  if (server.source.origin == Origin::kUser && locations.home) return *locations.home;
  return locations.root;
}

namespace {

void check_references(const ServerConfig& server, const std::map<std::string, std::string>& map,
                      const char* what, const InventoryQuery& query, std::vector<Diagnostic>& out) {
  for (const auto& [key, value] : map) {
    for (const std::string& variable : env_references(value)) {
      const std::string* name = &variable;
      if (!query.grants.granted(server.name, *name)) {
        out.push_back(
            {Level::kWarning, "mcp_env_not_granted", server.source.display,
             fmt::format("server \"{}\": {} {} refers to ${{{}}}, which is not granted to "
                         "it; add \"{}\" to [mcp.{}] grant (or [env] grant_secrets) in "
                         ".omk/config.toml",
                         server.name, what, key, *name, *name, server.name)});
      } else if (!env_value(query.env, *name)) {
        out.push_back({Level::kWarning, "mcp_env_unset", server.source.display,
                       fmt::format("server \"{}\": {} {} refers to ${{{}}}, which is not set",
                                   server.name, what, key, *name)});
      }
    }
  }
}

void check_server(ServerConfig& server, const InventoryQuery& query, std::vector<Diagnostic>& out) {
  if (server.transport == TransportKind::kInvalid || !server.enabled) return;
  if (server.transport == TransportKind::kStdio) {
    fs::path base = server_base_dir(server, query.locations);
    if (server.cwd) {
      fs::path cwd =
          fs::path(*server.cwd).is_relative() ? base / *server.cwd : fs::path(*server.cwd);
      std::error_code ec;
      if (!fs::is_directory(cwd, ec)) {
        out.push_back({Level::kError, "mcp_cwd_missing", server.source.display,
                       fmt::format("server \"{}\": \"cwd\" is not a directory", server.name)});
      } else {
        base = cwd;
      }
    }
    auto found = find_executable(server.command, env_value(query.env, "PATH").value_or(""), base);
    if (found) {
      server.resolved_command = found->string();
    } else {
      out.push_back({Level::kError, "mcp_command_not_found", server.source.display,
                     fmt::format("server \"{}\": command \"{}\" was not found{}", server.name,
                                 fs::path(server.command).filename().string(),
                                 server.command.find('/') == std::string::npos ? " on PATH" : "")});
    }
    check_references(server, server.env, "env", query, out);
  } else {
    check_references(server, server.headers, "header", query, out);
    if (server.bearer_token_env_var) {
      const std::string& name = *server.bearer_token_env_var;
      if (!query.grants.granted(server.name, name)) {
        out.push_back({Level::kWarning, "mcp_env_not_granted", server.source.display,
                       fmt::format("server \"{}\": bearerTokenEnvVar {} is not granted to it; add "
                                   "it to [mcp.{}] grant in .omk/config.toml",
                                   server.name, name, server.name)});
      } else if (!env_value(query.env, name)) {
        out.push_back(
            {Level::kWarning, "mcp_env_unset", server.source.display,
             fmt::format("server \"{}\": bearerTokenEnvVar {} is not set", server.name, name)});
      }
    }
  }
}

}  // namespace

ToolPlaneInventory build_inventory(const InventoryQuery& query) {
  ToolPlaneInventory inventory;
  inventory.scopes = query.scopes;
  ToolPlaneFiles files = active_tool_plane_files(query.locations, query.scopes);

  McpConfig mcp = load_mcp_config(files.mcp, query.scopes.mcp);
  inventory.mcp_sources = std::move(mcp.sources);
  inventory.servers = std::move(mcp.servers);
  inventory.diagnostics = std::move(mcp.diagnostics);
  for (ServerConfig& server : inventory.servers) check_server(server, query, inventory.diagnostics);

  SkillScan skills = scan_skills(files.skill_dirs);
  inventory.skills = std::move(skills.skills);
  inventory.diagnostics.insert(inventory.diagnostics.end(), skills.diagnostics.begin(),
                               skills.diagnostics.end());

  HookScan hooks = scan_hooks(files.hooks, query.locations, query.env);
  inventory.hooks = std::move(hooks.hooks);
  inventory.diagnostics.insert(inventory.diagnostics.end(), hooks.diagnostics.begin(),
                               hooks.diagnostics.end());
  return inventory;
}

}  // namespace omk::mcp
