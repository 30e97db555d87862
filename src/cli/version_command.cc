#include <fmt/format.h>

#include "cli/context.h"
#include "core/build_info.h"
#include "core/json_output.h"
#include "core/output.h"

namespace omk::cli {

void register_version_command(CLI::App& app, Context& context) {
  auto* command = app.add_subcommand("version", "Print omk's version and build facts");
  auto json = std::make_shared<bool>(false);
  command->add_flag("--json", *json, "Print one omk.version.v1 JSON document");
  command->callback([&context, json] {
    context.action = [json] {
      const BuildInfo& info = build_info();
      if (*json) {
        auto document = json_envelope("version");
        document["version"] = info.version;
        if (!info.commit.empty()) document["commit"] = info.commit;
        document["build_type"] = info.build_type;
        document["sanitized"] = info.sanitized;
        auto features = Json::object();
        for (const auto& [name, built] : info.features) features[name] = built;
        document["features"] = features;
        print_json(document);
        return 0;
      }
      std::string line = "omk " + info.version;
      if (!info.commit.empty()) line += " (" + info.commit + ")";
      line += fmt::format("\nbuild: {}{}\nkernel features built in:", info.build_type,
                          info.sanitized ? " with ASan+UBSan" : "");
      for (const auto& [name, built] : info.features) {
        line += fmt::format(" {}={}", name, built ? "yes" : "no");
      }
      print_out(line + "\n");
      return 0;
    };
  });
}

}  // namespace omk::cli
