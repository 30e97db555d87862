#include <fmt/format.h>

#include "cli/context.h"
#include "cli/mcp_support.h"
#include "core/json_output.h"
#include "core/output.h"
#include "mcp/doctor.h"
#include "mcp/summary.h"

namespace omk::cli {
namespace {

int run_mcp_list(bool json, const Context& context) {
  McpSetting setting = load_mcp_setting(context);
  mcp::ToolPlaneInventory inventory = mcp::build_inventory(setting.query);
  if (json) {
    Json document = json_envelope("mcp-list");
    document["root"] = setting.root.path.string();
    Json body = mcp::inventory_json(inventory);
    for (auto& [key, value] : body.items()) document[key] = value;
    print_json(document);
  } else {
    print_out(mcp::render_offline_summary(inventory));
  }
  return 0;
}

int run_mcp_doctor(bool json, const Context& context) {
  McpSetting setting = load_mcp_setting(context);
  mcp::ToolPlaneInventory inventory = mcp::build_inventory(setting.query);
  std::vector<mcp::Diagnostic> diagnostics = mcp::doctor_diagnostics(inventory);
  size_t errors = mcp::count_level(diagnostics, mcp::Level::kError);
  size_t warnings = mcp::count_level(diagnostics, mcp::Level::kWarning);
  if (json) {
    Json document = json_envelope("mcp-doctor");
    document["root"] = setting.root.path.string();
    document["ok"] = errors == 0;
    document["errors"] = errors;
    document["warnings"] = warnings;
    Json body = mcp::inventory_json(inventory);
    for (auto& [key, value] : body.items()) document[key] = value;
    Json list = Json::array();
    for (const auto& d : diagnostics) list.push_back(mcp::to_json(d));
    document["diagnostics"] = list;
    print_json(document);
  } else {
    inventory.diagnostics = diagnostics;
    std::string text = mcp::render_offline_summary(inventory);
    text += errors == 0 ? "Doctor: no errors.\n"
                        : fmt::format("Doctor: {} error(s) to fix (see above).\n", errors);
    print_out(text);
  }
  return errors == 0 ? 0 : 1;
}

}  // namespace

void register_mcp_command(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand(
      "mcp", "MCP servers, skills and hooks: offline summary, checks, config edits, omk-project");
  group->require_subcommand(1);

  auto list_json = std::make_shared<bool>(false);
  auto* list = group->add_subcommand(
      "list",
      "Show the active MCP servers, skills, hooks and their diagnostics. Offline: starts no "
      "server, opens no socket");
  list->add_flag("--json", *list_json, "Print one omk.mcp-list.v1 JSON document");
  list->callback([&context, list_json] {
    context.action = [&context, list_json] { return run_mcp_list(*list_json, context); };
  });

  auto doctor_json = std::make_shared<bool>(false);
  auto* doctor = group->add_subcommand(
      "doctor",
      "Check MCP, skill and hook config offline: invalid files, missing commands, literal "
      "secrets, required servers that cannot start. Exit 1 when something is wrong");
  doctor->add_flag("--json", *doctor_json, "Print one omk.mcp-doctor.v1 JSON document");
  doctor->callback([&context, doctor_json] {
    context.action = [&context, doctor_json] { return run_mcp_doctor(*doctor_json, context); };
  });

  register_mcp_edit_commands(*group, context);
  register_mcp_active_commands(*group, context);
  register_mcp_serve_command(*group, context);
}

}  // namespace omk::cli
