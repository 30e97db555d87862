// `omk doctor`: offline checks of this project, one section per concern. Sections are added by
// the issues that own them (providers, sandbox, ...); each says ok or lists its problems.
#include <fmt/format.h>

#include "cli/context.h"
#include "cli/mcp_support.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/output.h"
#include "mcp/doctor.h"

namespace omk::cli {
namespace {

struct Section {
  std::string name;
  std::string summary;
  std::vector<mcp::Diagnostic> diagnostics;
  bool ok() const { return mcp::count_level(diagnostics, mcp::Level::kError) == 0; }
};

int run_doctor(bool json, const Context& context) {
  ProjectRoot root = context.project_root();
  std::vector<Section> sections;

  Section config{"config", "", {}};
  bool config_ok = true;
  try {
    Config loaded = context.config(root);
    config.summary =
        loaded.file_exists() ? ".omk/config.toml is valid" : "no .omk/config.toml (defaults apply)";
    for (const auto& warning : loaded.warnings()) {
      config.diagnostics.push_back(
          {mcp::Level::kWarning, "config_warning", ".omk/config.toml", warning});
    }
  } catch (const UserError& error) {
    config_ok = false;
    config.summary = ".omk/config.toml has errors";
    config.diagnostics.push_back(
        {mcp::Level::kError, "config_invalid", ".omk/config.toml", error.what()});
  }
  sections.push_back(config);

  Section tools{"tool-plane", "", {}};
  if (config_ok) {
    McpSetting setting = load_mcp_setting(context);
    mcp::ToolPlaneInventory inventory = mcp::build_inventory(setting.query);
    tools.diagnostics = mcp::doctor_diagnostics(inventory);
    tools.summary =
        fmt::format("{} MCP server(s), {} skill(s), {} hook(s); offline, nothing started",
                    inventory.servers.size(), inventory.skills.size(), inventory.hooks.size());
  } else {
    tools.summary = "not checked: fix .omk/config.toml first";
  }
  sections.push_back(tools);

  bool ok = std::all_of(sections.begin(), sections.end(), [](const Section& s) { return s.ok(); });
  if (json) {
    Json document = json_envelope("doctor");
    document["root"] = root.path.string();
    document["ok"] = ok;
    Json list = Json::array();
    for (const auto& section : sections) {
      Json diagnostics = Json::array();
      for (const auto& d : section.diagnostics) diagnostics.push_back(mcp::to_json(d));
      list.push_back({{"name", section.name},
                      {"ok", section.ok()},
                      {"summary", section.summary},
                      {"diagnostics", diagnostics}});
    }
    document["sections"] = list;
    print_json(document);
  } else {
    std::string text = fmt::format("omk doctor: {}\n", root.path.string());
    for (const auto& section : sections) {
      text +=
          fmt::format("[{}] {}: {}\n", section.ok() ? "ok" : "!!", section.name, section.summary);
      for (const auto& d : section.diagnostics) text += "  " + mcp::format_diagnostic(d) + "\n";
    }
    text += ok ? "No problems found.\n"
               : "Problems found; see above (omk mcp doctor for MCP details).\n";
    print_out(text);
  }
  return ok ? 0 : 1;
}

}  // namespace

void register_doctor_command(CLI::App& app, Context& context) {
  auto json = std::make_shared<bool>(false);
  auto* doctor = app.add_subcommand(
      "doctor",
      "Check this project offline: .omk/config.toml and the tool plane (MCP servers, skills, "
      "hooks). Exit 1 when something is wrong");
  doctor->add_flag("--json", *json, "Print one omk.doctor.v1 JSON document");
  doctor->callback([&context, json] {
    context.action = [&context, json] { return run_doctor(*json, context); };
  });
}

}  // namespace omk::cli
