// `omk doctor`: offline checks of this project, one section per concern. Sections are added by
// the issues that own them (providers, sandbox, ...); each says ok or lists its problems.
#include <fmt/format.h>

#include <cstring>

#include "cli/context.h"
#include "cli/mcp_support.h"
#include "cli/provider_report.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/output.h"
#include "mcp/doctor.h"
#include "providers/health_check.h"
#include "providers/registry.h"
#include "providers/settings.h"
#include "sandbox/kernel_support.h"

namespace omk::cli {
namespace {

struct Section {
  std::string name;
  std::string summary;
  std::vector<mcp::Diagnostic> diagnostics;
  bool ok() const { return mcp::count_level(diagnostics, mcp::Level::kError) == 0; }
};

// The sandbox as the kernel reports it, without starting a child (`omk sandbox probe` tries
// each profile for real).
Section sandbox_section(const std::optional<Config>& config) {
  sandbox::KernelSupport support = sandbox::kernel_support();
  Section section{"sandbox", "", {}};
  bool require = config && config->boolean("sandbox.require");
  mcp::Level missing_level = require ? mcp::Level::kError : mcp::Level::kWarning;
  section.summary = fmt::format(
      "landlock {}, seccomp {}, namespaces {}{}",
      support.landlock_abi > 0 ? fmt::format("ABI {}", support.landlock_abi) : "missing",
      support.seccomp ? "yes" : "missing", support.namespaces ? "yes" : "no",
      "; `omk sandbox probe` tries each profile");
  if (support.landlock_abi == 0) {
    section.diagnostics.push_back({missing_level, "sandbox_layer_missing", "landlock",
                                   "the kernel offers no Landlock: children's file access is "
                                   "not restricted (see docs/sandbox.md)"});
  }
  if (!support.seccomp) {
    section.diagnostics.push_back({missing_level, "sandbox_layer_missing", "seccomp",
                                   "no seccomp: children's network and dangerous syscalls are "
                                   "not filtered"});
  }
  return section;
}

// Each provider's four-part health (offline, probe cache) and whether [runtime] provider
// resolves to a healthy one.
Section providers_section(const ProjectRoot& root, const std::optional<Config>& config,
                          const Context& context) {
  Section section{"providers", "", {}};
  if (!config) {
    section.summary = "not checked: fix .omk/config.toml first";
    return section;
  }
  providers::ProviderContext providers_context =
      providers::ProviderContext::make(root.path, *config, context.env);
  auto statuses = providers::check_providers(providers_context);
  size_t healthy = 0;
  for (const auto& status : statuses) {
    if (status.health.healthy() && status.settings.enabled) {
      ++healthy;
    } else if (status.health.available.is_yes() && status.settings.enabled) {
      // Installed but unusable: worth saying; a provider that is not installed is not.
      section.diagnostics.push_back(
          {mcp::Level::kInfo, "provider_unhealthy", status.adapter->id(), status.health.problem()});
    }
  }
  for (const std::string& name : providers::unknown_provider_tables(*config)) {
    section.diagnostics.push_back({mcp::Level::kWarning, "provider_table_unknown",
                                   "providers." + name,
                                   fmt::format("[providers.{}] names no provider; known: {}", name,
                                               providers::known_provider_ids())});
  }
  PolicyCheck policy = check_configured_policy(providers_context, statuses, false);
  if (policy.resolved) {
    section.summary =
        fmt::format("{} of {} provider(s) healthy; [runtime] provider \"{}\" resolves to {}",
                    healthy, statuses.size(), policy.policy, policy.resolution.provider);
  } else {
    section.summary = fmt::format(
        "{} of {} provider(s) healthy; [runtime] provider \"{}\" "
        "does not resolve (omk provider doctor)",
        healthy, statuses.size(), policy.policy);
    // The headline without its "candidates:" tail (the candidates are the info lines above).
    std::string headline = policy.error.substr(0, policy.error.find('\n'));
    for (const char* tail : {"; candidates:", ":"}) {
      if (headline.size() > std::strlen(tail) &&
          headline.compare(headline.size() - std::strlen(tail), std::string::npos, tail) == 0) {
        headline.resize(headline.size() - std::strlen(tail));
        break;
      }
    }
    section.diagnostics.push_back(
        {mcp::Level::kWarning, "no_healthy_provider", "runtime.provider",
         headline + ". Install and log in to an agent CLI, or set a key variable (omk provider "
                    "doctor shows each one's problem)"});
  }
  return section;
}

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
  std::optional<Config> loaded;
  if (config_ok) loaded = context.config(root);
  sections.push_back(sandbox_section(loaded));
  sections.push_back(providers_section(root, loaded, context));

  // What to fix first: the first error in section order (config before everything else),
  // else the first warning. No healthy provider is a warning: the project itself is fine, but
  // nothing can run until it is fixed.
  std::string fix_first;
  for (mcp::Level level : {mcp::Level::kError, mcp::Level::kWarning}) {
    for (const auto& section : sections) {
      for (const auto& d : section.diagnostics) {
        if (fix_first.empty() && d.level == level) {
          fix_first = fmt::format("{}: {}", section.name, d.reason);
        }
      }
    }
  }

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
    document["fix_first"] = fix_first.empty() ? Json(nullptr) : Json(fix_first);
    print_json(document);
  } else {
    std::string text = fmt::format("omk doctor: {}\n", root.path.string());
    for (const auto& section : sections) {
      text +=
          fmt::format("[{}] {}: {}\n", section.ok() ? "ok" : "!!", section.name, section.summary);
      for (const auto& d : section.diagnostics) text += "  " + mcp::format_diagnostic(d) + "\n";
    }
    if (!fix_first.empty()) text += "Fix first: " + fix_first + "\n";
    text += !ok                 ? "Problems found; see above (omk mcp doctor for MCP details).\n"
            : fix_first.empty() ? "No problems found.\n"
                                : "No errors; the warning above still needs attention.\n";
    print_out(text);
  }
  return ok ? 0 : 1;
}

}  // namespace

void register_doctor_command(CLI::App& app, Context& context) {
  auto json = std::make_shared<bool>(false);
  auto* doctor = app.add_subcommand(
      "doctor",
      "Check this project offline: .omk/config.toml, the tool plane (MCP servers, skills, "
      "hooks), the sandbox and the providers' health. Exit 1 when something is wrong");
  doctor->add_flag("--json", *json, "Print one omk.doctor.v1 JSON document");
  doctor->callback([&context, json] {
    context.action = [&context, json] { return run_doctor(*json, context); };
  });
}

}  // namespace omk::cli
