// `omk provider list|doctor`: the agent runtimes omk knows and their four-part health, offline
// unless --probe (docs/providers.md).
#include <fmt/format.h>

#include "cli/context.h"
#include "cli/provider_report.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/output.h"
#include "providers/health_check.h"
#include "providers/registry.h"

namespace omk::cli {
namespace {

struct ProviderFlags {
  std::string id;
  bool probe = false;
  bool json = false;
};

int run_provider_list(const ProviderFlags& flags, const Context& context) {
  ProjectRoot root = context.project_root();
  providers::ProviderContext providers_context =
      providers::ProviderContext::make(root.path, context.config(root), context.env);
  auto statuses = providers::check_providers(providers_context);
  if (flags.json) {
    print_json(provider_document(statuses, providers_context, nullptr));
    return 0;
  }
  print_out(provider_table(statuses));
  return 0;
}

int run_provider_doctor(const ProviderFlags& flags, const Context& context) {
  ProjectRoot root = context.project_root();
  providers::ProviderContext providers_context =
      providers::ProviderContext::make(root.path, context.config(root), context.env);
  providers::HealthOptions options;
  options.probe = flags.probe;
  if (!flags.id.empty()) {
    const providers::Adapter* adapter = providers::find_adapter(flags.id);
    if (adapter == nullptr) {
      throw usage_error(fmt::format("unknown provider '{}': one of {}", flags.id,
                                    providers::known_provider_ids()));
    }
    options.only = {adapter->id()};
  }
  auto statuses = providers::check_providers(providers_context, options);
  PolicyCheck policy = check_configured_policy(providers_context, statuses, !flags.id.empty());
  bool ok = flags.id.empty()
                ? policy.resolved
                : statuses.front().health.healthy() && statuses.front().settings.enabled;
  if (flags.json) {
    print_json(provider_document(statuses, providers_context, &policy));
  } else {
    print_out(provider_details(statuses) + policy_text(policy));
  }
  return ok ? 0 : 1;
}

}  // namespace

void register_provider_command(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand(
      "provider", "The agent runtimes omk can run and their health (docs/providers.md)");
  group->require_subcommand(1);

  auto list_flags = std::make_shared<ProviderFlags>();
  auto* list = group->add_subcommand(
      "list",
      "Every provider with its kind, capabilities and four-part health (available, "
      "authenticated, model supported, rate-limited); offline");
  list->add_flag("--json", list_flags->json, "Print one omk.provider.v1 JSON document");
  list->callback([&context, list_flags] {
    context.action = [&context, list_flags] { return run_provider_list(*list_flags, context); };
  });

  auto doctor_flags = std::make_shared<ProviderFlags>();
  auto* doctor = group->add_subcommand(
      "doctor",
      "Each provider's health with its reasons, and what [runtime] provider resolves to. Exit 1 "
      "when that policy (or the named provider) is not healthy");
  doctor->add_option("id", doctor_flags->id, "Check only this provider (an id or alias)");
  doctor->add_flag("--probe", doctor_flags->probe,
                   "Also ask each provider: its CLI's login status command, an API's model "
                   "list (may use the network; spends no tokens)");
  doctor->add_flag("--json", doctor_flags->json, "Print one omk.provider.v1 JSON document");
  doctor->callback([&context, doctor_flags] {
    context.action = [&context, doctor_flags] {
      return run_provider_doctor(*doctor_flags, context);
    };
  });
}

}  // namespace omk::cli
