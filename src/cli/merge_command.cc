#include <fmt/format.h>

#include "cli/context.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/output.h"
#include "dag/merge.h"
#include "dag/worktree_clean.h"

namespace omk::cli {
namespace {

std::string text_of(const Json& json, const char* key) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

int run_merge(const std::string& run_id, bool dry_run, bool json, const Context& context) {
  ProjectRoot root = context.project_root();
  runs::RunStore store(root.path);
  Json document = dag::merge_run(store, run_id, dry_run);
  bool conflict = !document["conflict"].is_null();
  if (json) {
    print_json(document);
    return conflict ? to_int(ExitCode::kFailed) : 0;
  }
  std::string out;
  for (const auto& entry : document["merged"]) {
    out += fmt::format("{:<12} {} ({})\n", text_of(entry, "result"), text_of(entry, "node"),
                       text_of(entry, "branch"));
  }
  for (const auto& entry : document["skipped"]) {
    out +=
        fmt::format("{:<12} {}: {}\n", "skipped", text_of(entry, "node"), text_of(entry, "reason"));
  }
  if (conflict) {
    const Json& c = document["conflict"];
    out += fmt::format("CONFLICT     {} ({}) — stopped here{}\n", text_of(c, "node"),
                       text_of(c, "branch"), dry_run ? "" : "; that merge was aborted");
    for (const auto& file : c.value("files", Json::array()))
      out += "  conflicting: " + file.get<std::string>() + "\n";
  }
  if (document["merged"].empty() && !conflict) out += "nothing to merge\n";
  print_out(out);
  return conflict ? to_int(ExitCode::kFailed) : 0;
}

int run_clean(const dag::CleanOptions& options, bool json, const Context& context) {
  ProjectRoot root = context.project_root();
  runs::RunStore store(root.path);
  Json document = dag::clean_worktrees(store, options);
  if (json) {
    print_json(document);
    return 0;
  }
  std::string out;
  for (const auto& entry : document["removed"]) {
    out += fmt::format("{} {}\n", options.dry_run ? "would remove" : "removed",
                       text_of(entry, "path"));
  }
  for (const auto& entry : document["kept"]) {
    out += fmt::format("kept {}: {}\n", text_of(entry, "path"), text_of(entry, "reason"));
  }
  if (out.empty()) out = "no lane worktrees\n";
  print_out(out);
  return 0;
}

}  // namespace

void register_merge_command(CLI::App& app, Context& context) {
  auto run_id = std::make_shared<std::string>();
  auto dry_run = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  auto* merge = app.add_subcommand(
      "merge",
      "Merge a run's worktree lanes whose gates passed into the current branch, in dependency\n"
      "order; stop at the first conflict and report it (exit 1)");
  merge->add_option("RUN", *run_id, "Run id (see `omk runs`)")->required();
  merge->add_flag("--dry-run", *dry_run, "Compute the merges (git merge-tree); change nothing");
  merge->add_flag("--json", *json, "Print one omk.merge.v1 JSON document");
  merge->callback([&context, run_id, dry_run, json] {
    context.action = [&context, run_id, dry_run, json] {
      return run_merge(*run_id, *dry_run, *json, context);
    };
  });

  auto* worktrees = app.add_subcommand("worktrees", "Manage the lanes' git worktrees");
  worktrees->require_subcommand(1);
  auto options = std::make_shared<dag::CleanOptions>();
  auto clean_json = std::make_shared<bool>(false);
  auto* clean = worktrees->add_subcommand(
      "clean", "Remove the worktrees of finished runs (their branches and commits stay)");
  clean->add_flag("--dry-run", options->dry_run, "Say what would be removed; remove nothing");
  clean->add_flag("--all", options->include_interrupted,
                  "Also remove worktrees of interrupted runs (they cannot be resumed in place)");
  clean->add_flag("--branches", options->delete_branches,
                  "Also delete the lanes' omk/<run>/<node> branches");
  clean->add_flag("--json", *clean_json, "Print one omk.worktrees-clean.v1 JSON document");
  clean->callback([&context, options, clean_json] {
    context.action = [&context, options, clean_json] {
      return run_clean(*options, *clean_json, context);
    };
  });
}

}  // namespace omk::cli
