#include <fmt/format.h>

#include "cli/context.h"
#include "cli/dag_support.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/output.h"
#include "dag/run_report.h"
#include "runs/run_views.h"

namespace omk::cli {
namespace {

std::string text_of(const Json& json, const char* key) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string render_text(const Json& document, bool one_node) {
  const Json& run = document["run"];
  std::string out = fmt::format("run {}  {}\n", text_of(run, "id"), text_of(run, "status"));
  if (!text_of(run, "goal").empty()) out += "goal: " + text_of(run, "goal") + "\n";
  out += fmt::format("started {}  finished {}\nspec {} ({})\nbase commit {}\n",
                     text_of(run, "started_at"),
                     text_of(run, "finished_at").empty() ? "-" : text_of(run, "finished_at"),
                     text_of(run, "spec_source"), text_of(run, "spec_hash"),
                     text_of(run, "base_commit").empty() ? "-" : text_of(run, "base_commit"));
  const Json& evidence = document["evidence"];
  out += fmt::format("evidence: {} results, {} passed, {} failed; {} decisions\n\n",
                     text_of(evidence, "results"), text_of(evidence, "passed"),
                     text_of(evidence, "failed"), text_of(document, "decisions"));
  for (const auto& node : document["nodes"]) {
    const auto& attempts = node["attempts"];
    out += fmt::format("{:<20} {:<9} {:<8} {} attempt{}{}\n", text_of(node, "id"),
                       text_of(node, "state"), text_of(node, "kind"), attempts.size(),
                       attempts.size() == 1 ? "" : "s",
                       text_of(node, "reason").empty() ? "" : "  " + text_of(node, "reason"));
    for (const auto& attempt : attempts) {
      if (!one_node && &attempt != &attempts.back()) continue;
      for (const auto& gate : attempt["gates"]) {
        out += fmt::format("    {} {} #{}: {}\n", gate.value("passed", false) ? "pass" : "FAIL",
                           text_of(gate, "gate"), text_of(gate, "index"), text_of(gate, "reason"));
      }
    }
    if (one_node) {
      std::string provider = attempts.empty() ? "" : text_of(attempts.back(), "provider");
      if (!provider.empty()) out += "  provider: " + provider + "\n";
      if (!text_of(node, "verdict").empty()) out += "  verdict: " + text_of(node, "verdict") + "\n";
      if (!text_of(node, "workspace").empty())
        out += "  workspace: " + text_of(node, "workspace") + "\n";
      if (!text_of(node, "branch").empty()) {
        out += "  branch: " + text_of(node, "branch") + " @ " + text_of(node, "commit") + "\n";
      }
      for (const auto& file : node.value("files_changed", Json::array())) {
        out += "  changed: " + file.get<std::string>() + "\n";
      }
      for (const auto& [stream, log] : node["logs"].items()) {
        out += fmt::format("  --- {} ({}), last lines:\n{}", stream, text_of(log, "path"),
                           text_of(log, "tail"));
        if (!text_of(log, "tail").empty() && text_of(log, "tail").back() != '\n') out += "\n";
      }
    }
  }
  return out;
}

int run_inspect(const std::string& run_id, const std::string& node, bool json, bool html,
                const Context& context) {
  if (json && html) throw usage_error("choose one of --json and --html");
  ProjectRoot root = context.project_root();
  runs::RunStore store(root.path);
  store.require(run_id);
  std::optional<std::string> only;
  if (!node.empty()) only = node;
  Json document = runs::inspect_run(store, run_id, only, html);
  if (json) {
    print_json(document);
  } else if (html) {
    print_out(dag::html_report(document, recorded_spec(store, run_id), store.load_state(run_id)));
  } else {
    print_out(render_text(document, only.has_value()));
  }
  return 0;
}

int run_diff(const std::string& a, const std::string& b, bool json, const Context& context) {
  ProjectRoot root = context.project_root();
  runs::RunStore store(root.path);
  store.require(a);
  store.require(b);
  Json document = runs::diff_runs(store, a, b);
  if (json) {
    print_json(document);
    return 0;
  }
  std::string out = fmt::format("a: {} {}\nb: {} {}\n", a, text_of(document["a"], "status"), b,
                                text_of(document["b"], "status"));
  out += document["same_spec"].get<bool>() ? "same spec\n" : "different specs\n";
  out +=
      document["same_base_commit"].get<bool>() ? "same base commit\n" : "different base commits\n";
  for (const auto& node : document["nodes"]) {
    if (!node["differs"].get<bool>()) continue;
    out +=
        fmt::format("{}: {} -> {}", text_of(node, "id"),
                    text_of(node["state"], "a").empty() ? "absent" : text_of(node["state"], "a"),
                    text_of(node["state"], "b").empty() ? "absent" : text_of(node["state"], "b"));
    // An absent node has no provider; only a real change of provider is worth a word.
    if (text_of(node["provider"], "a") != text_of(node["provider"], "b")) {
      out += fmt::format("  provider {} -> {}", text_of(node["provider"], "a"),
                         text_of(node["provider"], "b"));
    }
    out += "\n";
    for (const auto& gate : node["gates"]) {
      if (gate["a"] == gate["b"]) continue;
      auto word = [](const Json& v) {
        return v.is_null()     ? std::string("-")
               : v.get<bool>() ? std::string("pass")
                               : std::string("fail");
      };
      out += fmt::format("    {} #{}: {} -> {}\n", text_of(gate, "gate"), text_of(gate, "index"),
                         word(gate["a"]), word(gate["b"]));
    }
    for (const auto& file : node["files_changed"]["only_a"])
      out += "    only in a: " + file.get<std::string>() + "\n";
    for (const auto& file : node["files_changed"]["only_b"])
      out += "    only in b: " + file.get<std::string>() + "\n";
  }
  if (document["differing_nodes"].get<int>() == 0) out += "no node differs\n";
  print_out(out);
  return 0;
}

}  // namespace

void register_inspect_command(CLI::App& app, Context& context) {
  auto run_id = std::make_shared<std::string>();
  auto node = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto html = std::make_shared<bool>(false);
  auto* inspect = app.add_subcommand("inspect", "Show what a recorded run did, node by node");
  inspect->add_option("RUN", *run_id, "Run id (see `omk runs`)")->required();
  inspect->add_option("--node", *node, "Only this node, with its attempts, gates and log tails");
  inspect->add_flag("--json", *json, "Print one omk.inspect.v1 JSON document");
  inspect->add_flag("--html", *html,
                    "Print a self-contained HTML report (omk inspect --html RUN > report.html)");
  inspect->callback([&context, run_id, node, json, html] {
    context.action = [&context, run_id, node, json, html] {
      return run_inspect(*run_id, *node, *json, *html, context);
    };
  });

  auto a = std::make_shared<std::string>();
  auto b = std::make_shared<std::string>();
  auto diff_json = std::make_shared<bool>(false);
  auto* diff = app.add_subcommand(
      "diff-runs", "Compare two runs node by node: status, provider, gates, files changed");
  diff->add_option("A", *a, "First run id")->required();
  diff->add_option("B", *b, "Second run id")->required();
  diff->add_flag("--json", *diff_json, "Print one omk.diff-runs.v1 JSON document");
  diff->callback([&context, a, b, diff_json] {
    context.action = [&context, a, b, diff_json] { return run_diff(*a, *b, *diff_json, context); };
  });
}

}  // namespace omk::cli
