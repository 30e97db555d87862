#include "cli/dag_support.h"

#include <filesystem>

#include "core/error.h"
#include "dag/spec_json.h"

namespace omk::cli {
namespace fs = std::filesystem;

dag::SpecDefaults spec_defaults(const Config& config) {
  dag::SpecDefaults defaults;
  defaults.agent_timeout_ms = config.integer("runtime.turn_timeout_ms");
  return defaults;
}

dag::DagSpec recorded_spec(const runs::RunStore& store, const std::string& run_id) {
  Json manifest = store.load_manifest(run_id);
  if (!manifest.contains("spec") || !manifest["spec"].is_object()) {
    throw usage_error("run " + run_id + "'s run.json holds no spec");
  }
  return dag::spec_from_json(manifest["spec"], "run " + run_id);
}

NamedSpec load_named_spec(const std::string& name, const Context& context) {
  std::error_code ec;
  if (fs::exists(name, ec)) {
    ProjectRoot root = context.project_root();
    auto result = dag::read_spec_file(name, name, spec_defaults(context.config(root)));
    return {dag::require_valid(result, name), name, std::nullopt, std::nullopt};
  }
  ProjectRoot root = context.project_root();
  runs::RunStore store(root.path);
  if (!store.exists(name)) {
    throw usage_error("'" + name + "' is neither a pipeline file nor a run of " +
                      root.path.string() + " (list runs with `omk runs`)");
  }
  return {recorded_spec(store, name), "run " + name, name, store.load_state(name)};
}

}  // namespace omk::cli
