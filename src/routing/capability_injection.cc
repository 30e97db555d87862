#include "routing/capability_injection.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

namespace omk::routing {
namespace {

// Why a server cannot be started for a child ("" when it can).
std::string unavailable_reason(const mcp::ServerConfig& server) {
  if (!server.enabled) return "disabled";
  if (server.transport == mcp::TransportKind::kInvalid) {
    return server.problems.empty() ? "invalid configuration" : server.problems.front();
  }
  if (server.transport == mcp::TransportKind::kStdio && !server.resolved_command) {
    return fmt::format("command \"{}\" was not found", server.command);
  }
  return "";
}

std::vector<std::string> sorted_unique(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace

CapabilityInjection inject_capabilities(const mcp::ToolPlaneInventory& inventory,
                                        const std::string& provider,
                                        const CapabilitySet& provider_capabilities,
                                        bool provider_takes_skills) {
  CapabilityInjection injection;
  bool takes_mcp = provider_capabilities.has(Capability::kMcp);
  for (const mcp::ServerConfig& server : inventory.servers) {
    // A disabled server is the user's choice, not a failure: it is simply not given.
    if (!server.enabled) continue;
    std::string why = unavailable_reason(server);
    if (why.empty() && !takes_mcp) why = fmt::format("{} takes no MCP servers", provider);
    if (why.empty()) {
      injection.mcp_servers.push_back(server.name);
      continue;
    }
    if (server.required) {
      if (!injection.blocked) {
        injection.blocked = fmt::format(
            "the required MCP server \"{}\" is unavailable: {} (fix it, see `omk mcp doctor`, or "
            "set \"required\": false in {})",
            server.name, why, server.source.display);
      }
    } else {
      injection.dropped.push_back(fmt::format("{}: {} (optional, left out)", server.name, why));
    }
  }
  injection.mcp_servers = sorted_unique(std::move(injection.mcp_servers));
  if (provider_takes_skills) {
    for (const mcp::Skill& skill : inventory.skills) injection.skills.push_back(skill.name);
    injection.skills = sorted_unique(std::move(injection.skills));
  }
  for (const mcp::HookRegistration& hook : inventory.hooks) {
    if (hook.agent != provider) continue;
    std::string name = hook.event;
    if (!hook.matcher.empty()) name += " " + hook.matcher;
    // The program's name only: a hook's arguments are the user's business, not the trace's.
    std::string program = hook.command.substr(0, hook.command.find(' '));
    if (!program.empty()) name += ": " + std::filesystem::path(program).filename().string();
    injection.hooks.push_back(std::move(name));
  }
  injection.hooks = sorted_unique(std::move(injection.hooks));
  return injection;
}

Json CapabilityInjection::names_json() const {
  Json out = Json::object();
  out["mcp_servers"] = mcp_servers;
  out["skills"] = skills;
  out["hooks"] = hooks;
  return out;
}

Json to_json(const CapabilityInjection& injection) {
  Json out = injection.names_json();
  out["dropped"] = injection.dropped;
  out["blocked"] = injection.blocked ? Json(*injection.blocked) : Json(nullptr);
  return out;
}

}  // namespace omk::routing
