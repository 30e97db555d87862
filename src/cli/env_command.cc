#include <fmt/format.h>

#include "cli/context.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/output.h"
#include "safety/env_adapters.h"
#include "safety/env_policy.h"

namespace omk::cli {
namespace {

struct EnvCheckFlags {
  bool json = false;
  std::string adapter;
  std::vector<std::string> sets;
};

std::string known_adapters() {
  std::string names;
  for (const auto& adapter : safety::adapter_env_declarations()) {
    names += (names.empty() ? "" : ", ") + adapter.name;
  }
  return names;
}

EnvMap parse_sets(const std::vector<std::string>& sets) {
  EnvMap explicit_env;
  for (const std::string& set : sets) {
    size_t eq = set.find('=');
    if (eq == std::string::npos || eq == 0) {
      // Only the part before '=' could be a name; the rest may be a secret, so it is not echoed.
      throw usage_error(fmt::format("--set needs NAME=VALUE; got an argument {}",
                                    eq == 0 ? "starting with '='" : "without '='"));
    }
    explicit_env[set.substr(0, eq)] = set.substr(eq + 1);
  }
  return explicit_env;
}

int run_env_check(const EnvCheckFlags& flags, const Context& context) {
  const safety::AdapterEnvDeclaration* adapter = nullptr;
  if (!flags.adapter.empty()) {
    adapter = safety::find_adapter_env(flags.adapter);
    if (adapter == nullptr) {
      throw usage_error(
          fmt::format("unknown adapter '{}'; known adapters: {}", flags.adapter, known_adapters()));
    }
  }
  ProjectRoot root = context.project_root();
  Config config = context.config(root);
  safety::EnvPolicy policy = safety::env_policy_from_config(config, context.env, adapter);
  if (adapter == nullptr) policy.explicit_context = "--set";
  safety::RunMetadata forced{"env-check", "env-check", "check", std::nullopt, std::nullopt, {}};
  safety::ChildEnv child =
      safety::build_child_env(context.env, parse_sets(flags.sets), forced, policy);

  if (flags.json) {
    Json document = json_envelope("env-check");
    document["adapter"] = adapter != nullptr ? Json(adapter->name) : Json(nullptr);
    document["passed"] = child.passed;
    document["granted"] = child.granted;
    Json dropped = Json::array();
    for (const safety::DroppedVariable& d : child.dropped) {
      Json entry = {{"name", d.name},
                    {"reason", std::string(safety::to_string(d.reason))},
                    {"source", std::string(safety::to_string(d.source))}};
      if (!d.rule.empty()) entry["rule"] = d.rule;
      dropped.push_back(entry);
    }
    document["dropped"] = dropped;
    document["warnings"] = child.warnings;
    print_json(document);
    return 0;
  }

  std::string text = fmt::format(
      "A child {}would get these variables (names only; run metadata "
      "shown with placeholder values):\n",
      adapter != nullptr ? "of the " + adapter->name + " adapter " : "");
  text += fmt::format("passed ({}):\n", child.passed.size());
  for (const std::string& name : child.passed) {
    bool granted =
        std::find(child.granted.begin(), child.granted.end(), name) != child.granted.end();
    text += fmt::format("  {}{}\n", name, granted ? "  (secret, granted)" : "");
  }
  text += fmt::format("dropped ({}):\n", child.dropped.size());
  for (const safety::DroppedVariable& d : child.dropped) {
    text += fmt::format("  {:<32} {:<16} {}{}\n", d.name, safety::to_string(d.reason),
                        safety::to_string(d.source), d.rule.empty() ? "" : " (" + d.rule + ")");
  }
  if (!child.warnings.empty()) {
    text += fmt::format("warnings ({}):\n", child.warnings.size());
    for (const std::string& warning : child.warnings) text += "  " + warning + "\n";
  }
  print_out(text);
  return 0;
}

}  // namespace

void register_env_command(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand("env", "Inspect the environment omk gives child processes");
  group->require_subcommand(1);
  auto flags = std::make_shared<EnvCheckFlags>();
  auto* check = group->add_subcommand(
      "check",
      "Show which variables a child would receive and why each other one is dropped (names "
      "only, never values)");
  check->add_flag("--json", flags->json, "Print one omk.env-check.v1 JSON document");
  check
      ->add_option("--adapter", flags->adapter,
                   "Check for this adapter's children (its declared names and credential): " +
                       known_adapters())
      ->type_name("NAME");
  check
      ->add_option("--set", flags->sets,
                   "Add explicit env as a DAG node or adapter would (repeatable); the value is "
                   "checked, never printed")
      ->type_name("K=V")
      ->allow_extra_args(false);
  check->callback([&context, flags] {
    context.action = [&context, flags] { return run_env_check(*flags, context); };
  });
}

}  // namespace omk::cli
