#include <fmt/format.h>

#include "cli/context.h"
#include "core/json_output.h"
#include "core/log.h"
#include "core/output.h"

namespace omk::cli {
namespace {

Json to_json(const ConfigValue& value) {
  return std::visit([](const auto& v) { return Json(v); }, value);
}

int run_config_show(bool json, const Context& context) {
  ProjectRoot root = context.project_root();
  Config config = context.config(root);

  if (json) {
    auto document = json_envelope("config");
    document["root"] = root.path.string();
    document["file"] = config.file().string();
    document["file_exists"] = config.file_exists();
    auto keys = Json::array();
    for (const ConfigKey& key : config_schema()) {
      if (key.path.find('*') != std::string_view::npos) continue;
      Json entry = {{"key", key.path},
                    {"value", to_json(config.get(key.path))},
                    {"source", to_string(config.source(key.path))}};
      if (!key.env_override.empty()) entry["env"] = key.env_override;
      keys.push_back(entry);
    }
    document["keys"] = keys;
    document["warnings"] = config.warnings();
    print_json(document);
    return 0;
  }

  std::string text =
      fmt::format("# project {}\n# file {}{}\n", root.path.string(), config.file().string(),
                  config.file_exists() ? "" : " (absent: defaults apply)");
  for (const ConfigKey& key : config_schema()) {
    if (key.path.find('*') != std::string_view::npos) continue;
    ValueSource source = config.source(key.path);
    std::string origin(to_string(source));
    if (source == ValueSource::kEnv) origin += " " + std::string(key.env_override);
    text += fmt::format("{} = {}  # {}\n", key.path, describe(config.get(key.path)), origin);
  }
  print_out(text);
  for (const auto& warning : config.warnings()) log::warn("{}", warning);
  return 0;
}

}  // namespace

void register_config_command(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand("config", "Inspect the project configuration");
  group->require_subcommand(1);
  auto json = std::make_shared<bool>(false);
  auto* show = group->add_subcommand(
      "show", "Print every setting's effective value and where it came from (default, file, env)");
  show->add_flag("--json", *json, "Print one omk.config.v1 JSON document");
  show->callback([&context, json] {
    context.action = [&context, json] { return run_config_show(*json, context); };
  });
}

}  // namespace omk::cli
