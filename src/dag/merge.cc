#include "dag/merge.h"

#include <fmt/format.h>

#include "core/clock.h"
#include "core/error.h"
#include "dag/git.h"
#include "dag/graph.h"
#include "dag/spec_json.h"
#include "runs/private_files.h"

namespace omk::dag {
namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

struct Candidate {
  std::string node;
  std::string branch;
  std::string commit;
};

}  // namespace

Json merge_run(const runs::RunStore& store, const std::string& run_id, bool dry_run) {
  store.require(run_id);
  auto lock = runs::RunLock::try_acquire(store.run_dir(run_id));
  if (!lock)
    throw usage_error("run " + run_id + " is still running; merge it when it has finished");
  Json manifest = store.load_manifest(run_id);
  runs::RunState state = store.load_state(run_id);
  DagSpec spec = spec_from_json(manifest.value("spec", Json::object()), "run " + run_id);
  Git git(store.project_root());
  if (!git.is_repository()) {
    throw usage_error(store.project_root().string() + " is not a git repository; nothing to merge");
  }
  auto head = git.head();
  if (!head) throw usage_error("the project has no commit to merge into");
  std::string target = trimmed(git.run({"symbolic-ref", "--quiet", "--short", "HEAD"}).out);
  if (!dry_run && git.has_tracked_changes()) {
    throw usage_error(
        "the project has uncommitted changes to tracked files; commit or stash "
        "them before `omk merge` (or look first with --dry-run)");
  }

  Json merged = Json::array(), skipped = Json::array();
  std::vector<Candidate> candidates;
  Graph graph = build_graph(spec);
  for (int index : graph.topological) {
    const NodeSpec& node = spec.nodes[static_cast<size_t>(index)];
    if (!node.worktree) continue;
    const runs::NodeRecord* record = state.find(node.id);
    if (!record || record->state != runs::NodeState::kDone) {
      std::string why = !record ? "no record of it"
                        : record->reason.empty()
                            ? std::string(runs::to_string(record->state))
                            : std::string(runs::to_string(record->state)) + ": " + record->reason;
      skipped.push_back({{"node", node.id}, {"reason", "not done (" + why + ")"}});
    } else if (record->commit.empty() || record->commit == record->start_commit) {
      skipped.push_back({{"node", node.id}, {"reason", "the lane changed nothing"}});
    } else {
      candidates.push_back({node.id, record->branch, record->commit});
    }
  }

  Json conflict = nullptr;
  std::string ours = *head;
  for (const auto& candidate : candidates) {
    std::string message = fmt::format("omk: merge lane {} of run {}", candidate.node, run_id);
    Json entry = {
        {"node", candidate.node}, {"branch", candidate.branch}, {"commit", candidate.commit}};
    ToolResult base = git.run({"merge-base", "--is-ancestor", candidate.commit, ours});
    if (base.ok()) {
      entry["result"] = "already merged";
      merged.push_back(entry);
      continue;
    }
    if (dry_run) {
      ToolResult tree = git.run(
          {"merge-tree", "--write-tree", "--name-only", "--no-messages", ours, candidate.commit});
      auto lines = split_lines(tree.out);
      if (tree.exit_code == 1 && !lines.empty()) {
        conflict = {{"node", candidate.node},
                    {"branch", candidate.branch},
                    {"files", std::vector<std::string>(lines.begin() + 1, lines.end())}};
        break;
      }
      if (!tree.ok() || lines.empty()) {
        throw usage_error("git merge-tree failed for lane " + candidate.node + ": " + tree.err);
      }
      // Carry the simulated merge forward so later lanes are checked against it.
      ours = trimmed(git.must(
          {"commit-tree", lines.front(), "-p", ours, "-p", candidate.commit, "-m", message}));
      entry["result"] = "would merge";
      merged.push_back(entry);
      continue;
    }
    ToolResult merge = git.run({"merge", "--no-ff", "--no-edit", "-m", message, candidate.commit});
    if (!merge.ok()) {
      auto files = split_nul(git.run({"diff", "--name-only", "--diff-filter=U", "-z"}).out);
      git.run({"merge", "--abort"});
      conflict = {{"node", candidate.node}, {"branch", candidate.branch}, {"files", files}};
      if (files.empty()) conflict["reason"] = trimmed(merge.err.empty() ? merge.out : merge.err);
      break;
    }
    ours = git.head().value_or(ours);
    entry["result"] = "merged";
    entry["merge_commit"] = ours;
    merged.push_back(entry);
  }

  Json document = json_envelope("merge");
  document["run_id"] = run_id;
  document["dry_run"] = dry_run;
  document["target"] = target.empty() ? Json(nullptr) : Json(target);
  document["started_from"] = *head;
  document["merged"] = merged;
  document["conflict"] = conflict;
  document["skipped"] = skipped;
  document["status"] = !conflict.is_null() ? "conflict" : merged.empty() ? "nothing" : "merged";
  document["at"] = utc_timestamp();
  if (!dry_run) runs::write_private_json(store.run_dir(run_id) / "merge.json", document);
  return document;
}

}  // namespace omk::dag
