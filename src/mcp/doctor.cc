#include "mcp/doctor.h"

#include <fmt/format.h>

#include <algorithm>

#include "mcp/secret_checks.h"

namespace omk::mcp {

Json entry_of(const ServerConfig& server) {
  Json entry = Json::object();
  if (!server.command.empty()) entry["command"] = server.command;
  if (!server.args.empty()) entry["args"] = server.args;
  if (!server.env.empty()) entry["env"] = server.env;
  if (!server.url.empty()) entry["url"] = server.url;
  if (!server.headers.empty()) entry["headers"] = server.headers;
  return entry;
}

std::vector<Diagnostic> doctor_diagnostics(const ToolPlaneInventory& inventory) {
  std::vector<Diagnostic> diagnostics = inventory.diagnostics;
  for (const ServerConfig& server : inventory.servers) {
    for (const SecretFinding& finding : literal_secrets(server.name, entry_of(server))) {
      diagnostics.push_back(
          {Level::kError, "mcp_secret_in_config", server.source.display,
           fmt::format("server \"{}\": {} holds a literal secret ({}); move it to the "
                       "environment, reference it as ${{NAME}} and grant it with [mcp.{}] grant",
                       server.name, finding.where, finding.rule, server.name)});
    }
    if (!server.required) continue;
    bool broken = server.transport == TransportKind::kInvalid || !server.enabled ||
                  std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
                    return d.level == Level::kError &&
                           d.reason.find("server \"" + server.name + "\"") != std::string::npos;
                  });
    if (broken) {
      diagnostics.push_back(
          {Level::kError, "mcp_required_unavailable", server.source.display,
           fmt::format("server \"{}\" is required but cannot start as configured{}; agent runs "
                       "that would receive it are blocked",
                       server.name, server.enabled ? "" : " (it is disabled)")});
    }
  }
  return diagnostics;
}

}  // namespace omk::mcp
