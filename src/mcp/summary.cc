#include "mcp/summary.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include "mcp/url.h"

namespace omk::mcp {
namespace fs = std::filesystem;

std::string server_target(const ServerConfig& server) {
  switch (server.transport) {
    case TransportKind::kStdio:
      return fs::path(server.command).filename().string();
    case TransportKind::kHttp:
      return url_origin(server.url).value_or("(invalid url)");
    case TransportKind::kInvalid:
      if (!server.command.empty()) return fs::path(server.command).filename().string();
      if (!server.url.empty()) return url_origin(server.url).value_or("(invalid url)");
      return "-";
  }
  return "-";
}

namespace {

std::string tool_filter_text(const ServerConfig& server) {
  std::vector<std::string> parts;
  if (server.enabled_tools)
    parts.push_back(fmt::format("only {}", fmt::join(*server.enabled_tools, ",")));
  if (!server.disabled_tools.empty()) {
    parts.push_back(fmt::format("not {}", fmt::join(server.disabled_tools, ",")));
  }
  return parts.empty() ? std::string("all tools") : fmt::format("{}", fmt::join(parts, "; "));
}

std::string state_text(const ServerConfig& server) {
  if (server.transport == TransportKind::kInvalid) return "invalid";
  std::string state = server.enabled ? "enabled" : "disabled";
  if (server.required) state += ",required";
  return state;
}

std::string source_text(const SourceStatus& source) {
  if (!source.exists) return source.file.display + " (absent)";
  if (!source.parsed) return source.file.display + " (not used: see diagnostics)";
  return fmt::format("{} ({} server{})", source.file.display, source.server_count,
                     source.server_count == 1 ? "" : "s");
}

std::string diagnostics_text(const ToolPlaneInventory& inventory) {
  if (inventory.diagnostics.empty()) return "Diagnostics: none\n";
  std::string text = fmt::format("Diagnostics: {} error(s), {} warning(s)\n", inventory.errors(),
                                 inventory.warnings());
  for (const Diagnostic& d : inventory.diagnostics) text += "  " + format_diagnostic(d) + "\n";
  return text;
}

std::string hooks_text(const ToolPlaneInventory& inventory) {
  std::map<std::string, size_t> per_agent;
  for (const auto& hook : inventory.hooks) ++per_agent[hook.agent];
  std::vector<std::string> parts;
  for (const auto& [agent, count] : per_agent) parts.push_back(fmt::format("{} {}", agent, count));
  return fmt::format("Hooks ({} scope): {} registration{}{}\n", to_string(inventory.scopes.hooks),
                     inventory.hooks.size(), inventory.hooks.size() == 1 ? "" : "s",
                     parts.empty() ? "" : fmt::format(" ({})", fmt::join(parts, ", ")));
}

std::string skills_text(const ToolPlaneInventory& inventory) {
  std::vector<std::string> names;
  for (const auto& skill : inventory.skills) names.push_back(skill.name);
  return fmt::format("Skills ({} scope): {}{}\n", to_string(inventory.scopes.skills), names.size(),
                     names.empty() ? "" : fmt::format(" - {}", fmt::join(names, ", ")));
}

}  // namespace

std::string render_offline_summary(const ToolPlaneInventory& inventory) {
  std::string text;
  if (inventory.scopes.mcp == Scope::kNone) {
    text += "MCP (none scope): disabled; no MCP config is read.\n";
  } else {
    std::vector<std::string> sources;
    for (const auto& source : inventory.mcp_sources) sources.push_back(source_text(source));
    text += fmt::format("MCP ({} scope): {} server{} from {}\n", to_string(inventory.scopes.mcp),
                        inventory.servers.size(), inventory.servers.size() == 1 ? "" : "s",
                        fmt::join(sources, ", "));
    if (!inventory.servers.empty()) {
      size_t name_width = 4;
      size_t target_width = 6;
      for (const auto& server : inventory.servers) {
        name_width = std::max(name_width, server.name.size());
        target_width = std::max(target_width, server_target(server).size());
      }
      text += fmt::format("  {:<{}}  {:<7}  {:<9}  {:<{}}  {:<16}  {}\n", "NAME", name_width,
                          "SCOPE", "TRANSPORT", "TARGET", target_width, "STATE", "TOOLS");
      for (const auto& server : inventory.servers) {
        text += fmt::format("  {:<{}}  {:<7}  {:<9}  {:<{}}  {:<16}  {}\n", server.name, name_width,
                            to_string(server.source.origin), to_string(server.transport),
                            server_target(server), target_width, state_text(server),
                            tool_filter_text(server));
      }
    }
  }
  text += skills_text(inventory);
  text += hooks_text(inventory);
  text += diagnostics_text(inventory);
  text += "Offline summary: no server was started. Active checks: omk mcp check --all\n";
  return text;
}

std::string render_startup_summary(const ToolPlaneInventory& inventory) {
  size_t enabled = static_cast<size_t>(std::count_if(
      inventory.servers.begin(), inventory.servers.end(),
      [](const ServerConfig& s) { return s.enabled && s.transport != TransportKind::kInvalid; }));
  std::string text = fmt::format(
      "MCP: {} scope, {} server{} ({} enabled), {} skill{}, {} hook{}; {} error(s), {} "
      "warning(s) (offline; `omk mcp list` for details)\n",
      to_string(inventory.scopes.mcp), inventory.servers.size(),
      inventory.servers.size() == 1 ? "" : "s", enabled, inventory.skills.size(),
      inventory.skills.size() == 1 ? "" : "s", inventory.hooks.size(),
      inventory.hooks.size() == 1 ? "" : "s", inventory.errors(), inventory.warnings());
  for (const Diagnostic& d : inventory.diagnostics) {
    if (d.level != Level::kInfo) text += "  " + format_diagnostic(d) + "\n";
  }
  return text;
}

Json server_json(const ServerConfig& server) {
  Json entry = Json::object();
  entry["name"] = server.name;
  entry["scope"] = to_string(server.source.origin);
  entry["source"] = server.source.display;
  entry["defined_in"] = server.defined_in;
  entry["transport"] = to_string(server.transport);
  entry["target"] = server_target(server);
  entry["enabled"] = server.enabled;
  entry["required"] = server.required;
  entry["enabled_tools"] = server.enabled_tools ? Json(*server.enabled_tools) : Json(nullptr);
  entry["disabled_tools"] = server.disabled_tools;
  entry["startup_timeout_ms"] = server.startup_timeout_ms;
  entry["tool_timeout_ms"] = server.tool_timeout_ms;
  std::vector<std::string> env_names;
  for (const auto& [name, value] : server.env) env_names.push_back(name);
  entry["env_names"] = env_names;  // names only, never values
  std::vector<std::string> header_names;
  for (const auto& [name, value] : server.headers) header_names.push_back(name);
  entry["header_names"] = header_names;
  entry["problems"] = server.problems;
  return entry;
}

Json inventory_json(const ToolPlaneInventory& inventory) {
  Json document = Json::object();
  document["scopes"] = {{"mcp", to_string(inventory.scopes.mcp)},
                        {"skills", to_string(inventory.scopes.skills)},
                        {"hooks", to_string(inventory.scopes.hooks)}};
  Json sources = Json::array();
  for (const auto& source : inventory.mcp_sources) {
    sources.push_back({{"path", source.file.display},
                       {"scope", to_string(source.file.origin)},
                       {"exists", source.exists},
                       {"parsed", source.parsed},
                       {"servers", source.server_count}});
  }
  document["sources"] = sources;
  Json servers = Json::array();
  for (const auto& server : inventory.servers) servers.push_back(server_json(server));
  document["servers"] = servers;
  Json skills = Json::array();
  for (const auto& skill : inventory.skills) {
    skills.push_back({{"name", skill.name},
                      {"description", skill.description},
                      {"path", skill.path},
                      {"scope", to_string(skill.origin)}});
  }
  document["skills"] = skills;
  Json hooks = Json::array();
  for (const auto& hook : inventory.hooks) {
    hooks.push_back({{"agent", hook.agent},
                     {"event", hook.event},
                     {"matcher", hook.matcher},
                     {"type", hook.type},
                     {"path", hook.path},
                     {"scope", to_string(hook.origin)}});
  }
  document["hooks"] = hooks;
  Json diagnostics = Json::array();
  for (const auto& d : inventory.diagnostics) diagnostics.push_back(to_json(d));
  document["diagnostics"] = diagnostics;
  document["started_servers"] = 0;
  return document;
}

}  // namespace omk::mcp
