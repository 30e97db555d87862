#include <fmt/format.h>

#include "cli/context.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/output.h"
#include "runs/run_index.h"
#include "runs/run_store.h"

namespace omk::cli {
namespace {

Json counts_json(const std::map<runs::NodeState, int>& counts) {
  Json json = Json::object();
  for (runs::NodeState state : runs::all_node_states()) {
    auto it = counts.find(state);
    json[std::string(runs::to_string(state))] = it == counts.end() ? 0 : it->second;
  }
  return json;
}

std::string counts_text(const std::map<runs::NodeState, int>& counts) {
  std::string out;
  for (const auto& [state, count] : counts) {
    if (count == 0) continue;
    if (!out.empty()) out += " ";
    out += fmt::format("{} {}", count, runs::to_string(state));
  }
  return out.empty() ? "no nodes" : out;
}

int run_list(const std::string& status_text, bool json, const Context& context) {
  std::optional<runs::RunStatus> status;
  if (!status_text.empty()) {
    status = runs::parse_run_status(status_text);
    if (!status) {
      throw usage_error(
          "--status must be running, succeeded, failed, cancelled or interrupted, "
          "not '" +
          status_text + "'");
    }
  }
  ProjectRoot root = context.project_root();
  runs::RunStore store(root.path);
  std::vector<runs::RunSummary> list;
  if (!store.list_run_ids().empty()) {
    runs::RunIndex index(store);
    index.sync();
    list = index.list(status);
  }
  if (json) {
    Json document = json_envelope("runs");
    Json items = Json::array();
    for (const auto& run : list) {
      items.push_back(
          {{"id", run.id},
           {"status", std::string(runs::to_string(run.status))},
           {"goal", run.goal},
           {"started_at", run.started_at},
           {"finished_at", run.finished_at.empty() ? Json(nullptr) : Json(run.finished_at)},
           {"nodes", counts_json(run.counts)},
           {"spec_hash", run.spec_hash},
           {"base_commit", run.base_commit.empty() ? Json(nullptr) : Json(run.base_commit)}});
    }
    document["runs"] = items;
    print_json(document);
    return 0;
  }
  if (list.empty()) {
    print_out(status ? "no " + std::string(runs::to_string(*status)) + " runs\n" : "no runs yet\n");
    return 0;
  }
  std::string text;
  for (const auto& run : list) {
    text += fmt::format("{}  {:<11}  {}  {}\n", run.id, runs::to_string(run.status),
                        counts_text(run.counts), run.goal);
  }
  print_out(text);
  return 0;
}

int run_reindex(bool json, const Context& context) {
  ProjectRoot root = context.project_root();
  runs::RunStore store(root.path);
  runs::RunIndex index(store);
  auto report = index.rebuild();
  if (json) {
    Json document = json_envelope("runs-reindex");
    document["index"] = store.index_path().string();
    document["runs"] = report.runs;
    document["nodes"] = report.nodes;
    document["attempts"] = report.attempts;
    document["gate_results"] = report.gate_results;
    document["unreadable"] = report.unreadable;
    print_json(document);
  } else {
    print_out(fmt::format("reindexed {} run{} ({} nodes, {} attempts, {} gate results) into {}\n",
                          report.runs, report.runs == 1 ? "" : "s", report.nodes, report.attempts,
                          report.gate_results, store.index_path().string()));
    for (const auto& problem : report.unreadable)
      print_err("omk: warning: skipped " + problem + "\n");
  }
  return 0;
}

}  // namespace

void register_runs_command(CLI::App& app, Context& context) {
  auto* runs = app.add_subcommand("runs", "List recorded runs (newest first)");
  runs->require_subcommand(0, 1);
  auto status = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  runs->add_option(
      "--status", *status,
      "Only runs with this status: running, succeeded, failed, cancelled, interrupted");
  runs->add_flag("--json", *json, "Print one omk.runs.v1 JSON document");
  runs->callback([&context, runs, status, json] {
    if (!runs->get_subcommands().empty()) return;
    context.action = [&context, status, json] { return run_list(*status, *json, context); };
  });

  auto reindex_json = std::make_shared<bool>(false);
  auto* reindex = runs->add_subcommand(
      "reindex", "Rebuild the SQLite index (.omk/omk.db) from the run directories");
  reindex->add_flag("--json", *reindex_json, "Print one omk.runs-reindex.v1 JSON document");
  reindex->callback([&context, reindex_json] {
    context.action = [&context, reindex_json] { return run_reindex(*reindex_json, context); };
  });
}

}  // namespace omk::cli
