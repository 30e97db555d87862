#include "dag/worktree_clean.h"

#include "core/error.h"
#include "dag/git.h"
#include "dag/worktrees.h"

namespace omk::dag {

Json clean_worktrees(const runs::RunStore& store, const CleanOptions& options) {
  Git git(store.project_root());
  if (!git.is_repository()) {
    throw usage_error(store.project_root().string() +
                      " is not a git repository; omk makes no "
                      "worktrees there");
  }
  Worktrees worktrees(git, store.worktrees_dir());
  Json removed = Json::array(), kept = Json::array(), branches = Json::array();
  for (const auto& info : worktrees.list()) {
    std::string status = "no record";
    if (store.exists(info.run_id)) {
      Json manifest = store.load_manifest(info.run_id);
      status = std::string(runs::to_string(
          store.effective_status(info.run_id, manifest, store.load_state(info.run_id))));
    }
    Json entry = {{"run_id", info.run_id},
                  {"node", info.node},
                  {"path", std::filesystem::relative(info.path, store.project_root()).string()},
                  {"run_status", status}};
    if (status == "running") {
      entry["reason"] = "the run is still running";
      kept.push_back(entry);
      continue;
    }
    if (status == "interrupted" && !options.include_interrupted) {
      entry["reason"] = "the run was interrupted and can be resumed (--all removes it anyway)";
      kept.push_back(entry);
      continue;
    }
    if (!options.dry_run) {
      worktrees.remove(info.run_id, info.node);
      if (options.delete_branches) {
        worktrees.remove_branch(info.run_id, info.node);
        branches.push_back(Worktrees::branch(info.run_id, info.node));
      }
    }
    removed.push_back(entry);
  }
  if (!options.dry_run) git.run({"worktree", "prune"});
  Json document = json_envelope("worktrees-clean");
  document["dry_run"] = options.dry_run;
  document["removed"] = removed;
  document["kept"] = kept;
  document["branches_deleted"] = branches;
  return document;
}

}  // namespace omk::dag
