#include "mcp/check.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "core/build_info.h"
#include "core/error.h"

namespace omk::mcp {

std::string_view to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::kOk:
      return "ok";
    case CheckStatus::kFailed:
      return "failed";
    case CheckStatus::kSkipped:
      return "skipped";
  }
  return "skipped";
}

CheckResult check_server(const ServerConfig& server, const LaunchContext& context,
                         const CheckOptions& options) {
  CheckResult result;
  result.name = server.name;
  result.required = server.required;
  if (!server.enabled) {
    result.message = "disabled in its config";
    return result;
  }
  auto started = Clock::now();
  try {
    ClientOptions client_options = options.client;
    client_options.startup_timeout_ms = server.startup_timeout_ms;
    client_options.request_timeout_ms = server.tool_timeout_ms;
    if (client_options.client_version == "0") client_options.client_version = build_info().version;
    McpClient client(transport_factory(server, context, result.notes), client_options);
    const ServerIdentity& identity = client.connect();
    result.era = std::string(to_string(identity.era));
    result.protocol_version = identity.protocol_version;
    result.server_name = identity.name;
    result.server_version = identity.version;
    bool has_tools = identity.capabilities.contains("tools") || identity.era == Era::kModern;
    if (has_tools) {
      for (const Json& tool : client.list_tools()) {
        std::string name = tool.value("name", "");
        if (server.tool_allowed(name)) {
          result.tools.push_back(name);
        } else {
          ++result.hidden_tools;
        }
      }
    }
    result.latency_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    client.close();
    result.status = CheckStatus::kOk;
    return result;
  } catch (const McpError& error) {
    result.status = CheckStatus::kFailed;
    result.failure = error.category();
    result.message = error.what();
  }
  result.latency_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  return result;
}

std::vector<CheckResult> check_servers(const std::vector<ServerConfig>& servers,
                                       const LaunchContext& context, const CheckOptions& options) {
  std::vector<CheckResult> results(servers.size());
  std::atomic<size_t> next{0};
  // Each worker starts, uses and stops its own servers: a stdio child dies with the thread that
  // spawned it (parent-death signal), so the thread must outlive the child.
  auto worker = [&] {
    for (size_t i = next++; i < servers.size(); i = next++) {
      results[i] = check_server(servers[i], context, options);
    }
  };
  size_t count = std::max<size_t>(1, std::min(options.concurrency, servers.size()));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < count; ++i) threads.emplace_back(worker);
  worker();
  for (auto& thread : threads) thread.join();
  return results;
}

Json to_json(const CheckResult& result) {
  Json entry = Json::object();
  entry["name"] = result.name;
  entry["required"] = result.required;
  entry["status"] = to_string(result.status);
  entry["category"] = result.failure ? Json(to_string(*result.failure)) : Json(nullptr);
  entry["message"] = result.message;
  entry["latency_ms"] = result.latency_ms;
  entry["era"] = result.era.empty() ? Json(nullptr) : Json(result.era);
  entry["protocol_version"] =
      result.protocol_version.empty() ? Json(nullptr) : Json(result.protocol_version);
  entry["server_name"] = result.server_name.empty() ? Json(nullptr) : Json(result.server_name);
  entry["server_version"] = result.server_version;
  entry["tool_count"] = result.tools.size();
  entry["tools"] = result.tools;
  entry["hidden_tools"] = result.hidden_tools;
  entry["notes"] = result.notes;
  return entry;
}

void enforce_required_servers(const std::vector<ServerConfig>& servers,
                              const LaunchContext& context,
                              const std::vector<std::string>& receiving,
                              const CheckOptions& options) {
  std::vector<ServerConfig> required;
  for (const ServerConfig& server : servers) {
    bool received = receiving.empty() ||
                    std::find(receiving.begin(), receiving.end(), server.name) != receiving.end();
    if (server.required && received) required.push_back(server);
  }
  for (const CheckResult& result : check_servers(required, context, options)) {
    if (result.status == CheckStatus::kOk) continue;
    std::string category =
        result.failure ? std::string(to_string(*result.failure)) : std::string("disabled");
    throw policy_error(fmt::format(
        "required MCP server \"{}\" failed its check ({}): {}; fix it (omk mcp test {}) or "
        "remove \"required\" from its entry",
        result.name, category, result.message, result.name));
  }
}

}  // namespace omk::mcp
