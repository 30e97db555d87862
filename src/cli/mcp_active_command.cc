// `omk mcp check|connect|test`: the explicit, active commands that start or reach servers.
// Everything else in `omk mcp` is offline.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/mcp_support.h"
#include "core/build_info.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/log.h"
#include "core/output.h"
#include "mcp/check.h"
#include "mcp/server_launch.h"

namespace omk::cli {
namespace {

struct CheckFlags {
  bool all = false;
  bool json = false;
  std::vector<std::string> names;
  size_t jobs = 8;
};

std::string dash_if_empty(const std::string& text) {
  return text.empty() ? "-" : text;
}

int run_check(const CheckFlags& flags, const Context& context, const char* verb) {
  if (flags.all == !flags.names.empty()) {
    throw usage_error(fmt::format("omk mcp {} needs --all or server names (not both)", verb));
  }
  McpSetting setting = load_mcp_setting(context);
  mcp::ToolPlaneInventory inventory = mcp::build_inventory(setting.query);
  std::vector<mcp::ServerConfig> servers;
  if (flags.all) {
    servers = inventory.servers;
  } else {
    for (const auto& name : flags.names) {
      const mcp::ServerConfig* server = inventory.find_server(name);
      if (server == nullptr) {
        throw usage_error(fmt::format("no active MCP server named \"{}\"; see omk mcp list", name));
      }
      servers.push_back(*server);
    }
  }
  mcp::LaunchContext launch = mcp::launch_context(setting.locations, setting.config, context.env);
  mcp::CheckOptions options;
  options.concurrency = std::max<size_t>(1, flags.jobs);
  options.client.client_version = build_info().version;
  auto results = mcp::check_servers(servers, launch, options);

  size_t ok = 0, failed = 0, skipped = 0;
  std::vector<const mcp::CheckResult*> required_failed;
  for (const auto& result : results) {
    if (result.status == mcp::CheckStatus::kOk) ++ok;
    if (result.status == mcp::CheckStatus::kSkipped) ++skipped;
    if (result.status == mcp::CheckStatus::kFailed) {
      ++failed;
      if (result.required) required_failed.push_back(&result);
    }
  }
  if (flags.json) {
    Json document = json_envelope("mcp-check");
    document["root"] = setting.root.path.string();
    document["ok"] = failed == 0;
    Json list = Json::array();
    for (const auto& result : results) list.push_back(mcp::to_json(result));
    document["servers"] = list;
    document["summary"] = {{"ok", ok},
                           {"failed", failed},
                           {"skipped", skipped},
                           {"required_failed", required_failed.size()}};
    Json diagnostics = Json::array();
    for (const auto& d : inventory.diagnostics) diagnostics.push_back(mcp::to_json(d));
    document["diagnostics"] = diagnostics;
    print_json(document);
  } else {
    size_t width = 4;
    for (const auto& result : results) width = std::max(width, result.name.size());
    std::string text = fmt::format("{:<{}}  {:<7}  {:>8}  {:<6}  {:>5}  {}\n", "NAME", width,
                                   "STATUS", "LATENCY", "ERA", "TOOLS", "DETAIL");
    for (const auto& result : results) {
      std::string detail;
      if (result.failure) {
        detail = fmt::format("{}: {}", mcp::to_string(*result.failure), result.message);
      } else if (result.status == mcp::CheckStatus::kSkipped) {
        detail = result.message;
      } else {
        detail = fmt::format("{} {} ({})", result.server_name, result.server_version,
                             result.protocol_version);
        if (result.hidden_tools > 0)
          detail += fmt::format("; {} filtered out", result.hidden_tools);
      }
      if (result.required) detail = "[required] " + detail;
      text +=
          fmt::format("{:<{}}  {:<7}  {:>5} ms  {:<6}  {:>5}  {}\n", result.name, width,
                      mcp::to_string(result.status), result.latency_ms, dash_if_empty(result.era),
                      result.status == mcp::CheckStatus::kOk ? std::to_string(result.tools.size())
                                                             : std::string("-"),
                      detail);
      for (const auto& note : result.notes) text += fmt::format("  note: {}\n", note);
    }
    text += fmt::format("Checked {} server{}: {} ok, {} failed, {} skipped.\n", results.size(),
                        results.size() == 1 ? "" : "s", ok, failed, skipped);
    print_out(text);
  }
  if (!required_failed.empty()) {
    for (const auto* result : required_failed) {
      log::error(
          "required MCP server \"{}\" failed ({}): agent runs that would receive it are "
          "blocked",
          result->name, mcp::to_string(*result->failure));
    }
    return to_int(ExitCode::kPolicy);
  }
  return failed == 0 ? 0 : 1;
}

struct TestFlags {
  std::string name;
  std::string tool;
  std::string args = "{}";
  bool json = false;
};

std::string content_text(const Json& result) {
  std::string text;
  for (const Json& item : result.value("content", Json::array())) {
    if (item.value("type", "") == "text") {
      text += item.value("text", "") + "\n";
    } else {
      text += fmt::format("[{} content]\n", item.value("type", "other"));
    }
  }
  return text;
}

int run_test(const TestFlags& flags, const Context& context) {
  Json arguments;
  std::string where;
  if (auto parsed = mcp::parse_json_quietly(flags.args, where); parsed && parsed->is_object()) {
    arguments = *parsed;
  } else {
    throw usage_error("--args must be a JSON object, e.g. --args '{\"message\": \"hi\"}'");
  }
  if (flags.tool.empty() && flags.args != "{}") throw usage_error("--args needs --tool NAME");
  McpSetting setting = load_mcp_setting(context);
  mcp::ToolPlaneInventory inventory = mcp::build_inventory(setting.query);
  const mcp::ServerConfig* server = inventory.find_server(flags.name);
  if (server == nullptr) {
    throw usage_error(
        fmt::format("no active MCP server named \"{}\"; see omk mcp list", flags.name));
  }
  mcp::LaunchContext launch = mcp::launch_context(setting.locations, setting.config, context.env);
  mcp::ClientOptions options;
  options.client_version = build_info().version;
  options.startup_timeout_ms = server->startup_timeout_ms;
  options.request_timeout_ms = server->tool_timeout_ms;

  Json document = json_envelope("mcp-test");
  document["root"] = setting.root.path.string();
  document["server"] = server->name;
  std::vector<std::string> notes;
  Json tools = Json::array();
  Json call = nullptr;
  std::optional<mcp::FailureCategory> failure;
  std::string message;
  mcp::ServerIdentity identity;
  auto started = mcp::Clock::now();
  try {
    mcp::McpClient client(mcp::transport_factory(*server, launch, notes), options);
    identity = client.connect();
    for (const Json& tool : client.list_tools()) {
      std::string name = tool.value("name", "");
      tools.push_back({{"name", name},
                       {"description", tool.value("description", "")},
                       {"allowed", server->tool_allowed(name)}});
    }
    if (!flags.tool.empty()) {
      if (!server->tool_allowed(flags.tool)) {
        throw usage_error(fmt::format(
            "tool \"{}\" is filtered out by the server's enabledTools/disabledTools", flags.tool));
      }
      Json result = client.call_tool(flags.tool, arguments);
      call = {{"tool", flags.tool},
              {"is_error", result.value("isError", false)},
              {"content", result["content"]}};
      if (result.contains("structuredContent")) call["structured"] = result["structuredContent"];
    }
    client.close();
  } catch (const mcp::McpError& error) {
    failure = error.category();
    message = error.what();
  }
  int64_t latency =
      std::chrono::duration_cast<std::chrono::milliseconds>(mcp::Clock::now() - started).count();
  bool call_failed = !call.is_null() && call["is_error"].get<bool>();
  bool ok = !failure && !call_failed;

  if (flags.json) {
    document["ok"] = ok;
    document["category"] = failure ? Json(mcp::to_string(*failure)) : Json(nullptr);
    document["message"] = message;
    document["latency_ms"] = latency;
    document["era"] = failure ? Json(nullptr) : Json(mcp::to_string(identity.era));
    document["protocol_version"] = identity.protocol_version;
    document["server_name"] = identity.name;
    document["server_version"] = identity.version;
    document["tools"] = tools;
    document["call"] = call;
    document["notes"] = notes;
    print_json(document);
  } else {
    std::string text;
    for (const auto& note : notes) text += "note: " + note + "\n";
    if (failure) {
      text += fmt::format("{}: failed after {} ms ({}): {}\n", server->name, latency,
                          mcp::to_string(*failure), message);
    } else {
      text += fmt::format("{}: {} {} speaks {} ({} era), {} tool{} ({} ms)\n", server->name,
                          dash_if_empty(identity.name), identity.version, identity.protocol_version,
                          mcp::to_string(identity.era), tools.size(), tools.size() == 1 ? "" : "s",
                          latency);
      for (const Json& tool : tools) {
        std::string description = tool["description"].get<std::string>();
        if (auto nl = description.find('\n'); nl != std::string::npos) description.resize(nl);
        if (description.size() > 80) description = description.substr(0, 77) + "...";
        text += fmt::format("  {}{}  {}\n", tool["name"].get<std::string>(),
                            tool["allowed"].get<bool>() ? "" : " (filtered out)", description);
      }
      if (!call.is_null()) {
        text += fmt::format("{} {}:\n{}", flags.tool,
                            call_failed ? "returned an error" : "returned", content_text(call));
      }
    }
    print_out(text);
  }
  return ok ? 0 : 1;
}

}  // namespace

void register_mcp_active_commands(CLI::App& group, Context& context) {
  for (const char* verb : {"check", "connect"}) {
    auto flags = std::make_shared<CheckFlags>();
    auto* command = group.add_subcommand(
        verb,
        std::string(verb == std::string("check") ? "Check" : "Connect to") +
            " MCP servers actively: start (or reach) each one in parallel, initialise, list its "
            "tools and shut it down. Exit 1 when one fails, 3 when a required one does");
    command->add_flag("--all", flags->all, "Every active server");
    command->add_option("names", flags->names, "Only these servers")->type_name("NAME...");
    command->add_flag("--json", flags->json, "Print one omk.mcp-check.v1 JSON document");
    command->add_option("--jobs", flags->jobs, "How many servers at a time (default 8)")
        ->check(CLI::Range(1, 64));
    command->callback([&context, flags, verb] {
      context.action = [&context, flags, verb] { return run_check(*flags, context, verb); };
    });
  }

  auto test_flags = std::make_shared<TestFlags>();
  auto* test = group.add_subcommand(
      "test",
      "Start (or reach) one server, show its protocol era and tools, and optionally call a tool "
      "with --tool NAME --args JSON");
  test->add_option("name", test_flags->name, "Server name")->required();
  test->add_option("--tool", test_flags->tool, "Call this tool")->type_name("NAME");
  test->add_option("--args", test_flags->args, "The tool's arguments as a JSON object")
      ->type_name("JSON");
  test->add_flag("--json", test_flags->json, "Print one omk.mcp-test.v1 JSON document");
  test->callback([&context, test_flags] {
    context.action = [&context, test_flags] { return run_test(*test_flags, context); };
  });
}

}  // namespace omk::cli
