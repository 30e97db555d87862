#include <fmt/format.h>

#include "cli/context.h"
#include "cli/dag_support.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/output.h"
#include "dag/routed_agents.h"
#include "dag/spec_json.h"
#include "dag/spec_view.h"

namespace omk::cli {
namespace {

// Agent lanes no runtime can take now (no healthy provider, or one that cannot ask under
// --execution ask): said at validation time, so the run's refusal or skip is no surprise.
std::vector<std::string> runtime_warnings(const dag::DagSpec& spec, const Context& context,
                                          const ProjectRoot& root) {
  std::vector<std::string> warnings;
  bool any_agent = false;
  for (const auto& node : spec.nodes) any_agent = any_agent || node.kind == dag::NodeKind::kAgent;
  if (!any_agent) return warnings;
  dag::AgentRuntimeOptions options;
  options.project_root = root.path;
  options.config = context.config(root);
  options.env = context.env;
  options.record_history = false;
  dag::RoutedAgentRuntime agents(options);
  for (const auto& node : spec.nodes) {
    if (node.kind != dag::NodeKind::kAgent) continue;
    if (auto why = agents.unavailable(node)) {
      warnings.push_back("node '" + node.id + "': " + *why +
                         (node.optional ? "; it will be skipped"
                                        : "; `omk run` refuses it "
                                          "unless it is optional"));
    }
  }
  return warnings;
}

int run_validate(const std::string& file, bool json, const Context& context) {
  ProjectRoot root = context.project_root();
  auto result = dag::read_spec_file(file, file, spec_defaults(context.config(root)));
  if (json) {
    Json document = json_envelope("dag-validate");
    document["file"] = file;
    document["valid"] = result.spec.has_value();
    Json problems = Json::array();
    for (const auto& problem : result.problems) {
      problems.push_back({{"line", problem.mark.line},
                          {"column", problem.mark.column},
                          {"message", problem.message}});
    }
    document["problems"] = problems;
    if (result.spec) {
      document["nodes"] = result.spec->nodes.size();
      document["spec_hash"] = dag::spec_hash(*result.spec);
      document["warnings"] = runtime_warnings(*result.spec, context, root);
    } else {
      document["warnings"] = Json::array();
    }
    print_json(document);
    return result.spec ? 0 : to_int(ExitCode::kUsage);
  }
  dag::DagSpec spec = dag::require_valid(result, file);
  print_out(fmt::format("{}: valid ({} node{}, {})\n", file, spec.nodes.size(),
                        spec.nodes.size() == 1 ? "" : "s", dag::spec_hash(spec)));
  for (const auto& warning : runtime_warnings(spec, context, root))
    print_err("omk: warning: " + warning + "\n");
  return 0;
}

int run_show(const std::string& name, const std::string& format, const Context& context) {
  NamedSpec named = load_named_spec(name, context);
  const runs::RunState* state = named.state ? &*named.state : nullptr;
  if (format == "json") {
    print_json(dag::spec_to_json(named.spec));
  } else if (format == "dot") {
    print_out(dag::spec_as_dot(named.spec, state));
  } else {
    print_out(dag::spec_as_text(named.spec, state));
  }
  return 0;
}

}  // namespace

void register_dag_command(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand("dag", "Check and display pipeline (DAG) specs");
  group->require_subcommand(1);

  auto file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* validate = group->add_subcommand(
      "validate", "Check a pipeline file and report every problem with file:line:column");
  validate->add_option("FILE", *file, "Pipeline file (YAML or JSON, omk.dag.v1)")->required();
  validate->add_flag("--json", *json, "Print one omk.dag-validate.v1 JSON document");
  validate->callback([&context, file, json] {
    context.action = [&context, file, json] { return run_validate(*file, *json, context); };
  });

  auto name = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  auto* show = group->add_subcommand(
      "show", "Show a pipeline file, or the pipeline of a recorded run with its node states");
  show->add_option("FILE|RUN", *name, "Pipeline file or run id")->required();
  show->add_option("--format", *format, "text, json (the normalised omk.dag.v1 spec) or dot")
      ->check(CLI::IsMember({"text", "json", "dot"}));
  show->callback([&context, name, format] {
    context.action = [&context, name, format] { return run_show(*name, *format, context); };
  });
}

}  // namespace omk::cli
