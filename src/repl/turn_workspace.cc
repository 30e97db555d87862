#include "repl/turn_workspace.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/output.h"
#include "repl/terminal.h"
#include "routing/turn_apply.h"
#include "routing/turn_changes.h"

namespace omk::repl {
namespace {

Json in_place(const TurnWorkspace& workspace) {
  Json out = Json::object();
  out["isolated"] = false;
  out["note"] = workspace.note.empty() ? Json(nullptr) : Json(workspace.note);
  return out;
}

std::string file_lines(const routing::TurnChanges& changes) {
  std::string out;
  for (const routing::FileChange& file : changes.files) {
    out += fmt::format(
        "  {:<9} {}{}\n", routing::to_string(file.status), file.path,
        file.binary ? " (binary)" : fmt::format(" +{} -{}", file.added_lines, file.removed_lines));
  }
  return out;
}

}  // namespace

TurnWorkspace prepare_turn_workspace(const Session& session, const routing::RouteExplanation& route,
                                     const std::string& node) {
  TurnWorkspace workspace{session.options.project_root, std::nullopt, ""};
  const routing::TurnPolicy& policy = route.plan.policy;
  if (policy.read_only || !route.decision.selected) return workspace;
  if (!session.context.config.boolean("runtime.isolate_turns")) return workspace;
  if (policy.risk == routing::Risk::kMerge) {
    // A merge turn pushes, publishes or merges: it must act on the user's real branches, not on
    // a detached snapshot that holds their uncommitted work (a push from there would publish
    // it). It already needs a person's yes under ask.
    workspace.note = "runs in place: a merge turn acts on your real branches and remotes";
    return workspace;
  }
  try {
    // Turn ids are unique per session run; the run id keeps sessions apart.
    std::string id = session.run_id().empty() ? node : session.run_id() + "-" + node;
    workspace.worktree = routing::create_turn_worktree(session.options.project_root, id);
    workspace.path = workspace.worktree->work_dir;
  } catch (const UserError& error) {
    // Outside a git repository there is nothing to make a worktree of: the turn edits in place,
    // as with isolate_turns = false, and says so.
    workspace.note = std::string("runs in place: ") + error.what();
  }
  return workspace;
}

ApplyOutcome finish_turn_workspace(const Session& session, TurnWorkspace& workspace,
                                   const routing::RoutedTurn& turn, bool json,
                                   const process::CancelToken* cancel) {
  ApplyOutcome outcome;
  if (!workspace.worktree) {
    if (!workspace.note.empty() && !json) print_err("note: this turn " + workspace.note + "\n");
    outcome.document = in_place(workspace);
    return outcome;
  }
  const routing::TurnWorktree& worktree = *workspace.worktree;
  routing::TurnChanges changes = routing::turn_changes(worktree);
  Json document = Json::object();
  document["isolated"] = true;
  document["note"] = nullptr;
  document["worktree"] = worktree.path.string();
  document["changes"] = routing::to_json(changes);
  document["applied"] = false;
  document["apply"] = nullptr;
  auto keep = [&](const std::string& why) {
    outcome.not_applied = fmt::format(
        "{}; the agent's changes are kept in {} (remove it with "
        "`git worktree remove --force {}`)",
        why, worktree.path.string(), worktree.path.string());
    document["kept"] = true;
    outcome.document = document;
    return outcome;
  };
  document["kept"] = false;

  if (changes.empty()) {
    routing::remove_turn_worktree(worktree);
    outcome.document = document;
    return outcome;
  }
  if (!json) print_out(fmt::format("changes: {}\n{}", changes.summary(), file_lines(changes)));
  if (turn.outcome != routing::TurnOutcome::kSucceeded) {
    // Partial work of a failed, timed-out or cancelled turn never reaches the project.
    return keep("the turn did not succeed, so its changes were not applied");
  }
  if (session.execution() == routing::Execution::kAsk) {
    if (!session.options.interactive) {
      return keep(
          "--execution ask and no terminal to ask whether to apply them (use "
          "--execution auto to apply a turn's changes directly)");
    }
    if (!ask_yes_no("Apply these changes to your project?", cancel)) {
      return keep("you chose not to apply them");
    }
  }
  routing::ApplyResult applied = routing::apply_turn_changes(worktree, changes);
  document["apply"] = routing::to_json(applied);
  if (!applied.applied) {
    std::string conflicts;
    for (const routing::ApplyConflict& conflict : applied.conflicts) {
      conflicts += fmt::format("\n  {}: {}", conflict.path, conflict.reason);
    }
    if (!json) print_err("not applied, nothing was written; conflicts:" + conflicts + "\n");
    return keep(fmt::format("{} conflicting file{} with your own edits (nothing was written)",
                            applied.conflicts.size(), applied.conflicts.size() == 1 ? "" : "s"));
  }
  document["applied"] = true;
  if (!json) print_out(fmt::format("applied to the project: {}\n", changes.summary()));
  routing::remove_turn_worktree(worktree);
  outcome.document = document;
  return outcome;
}

}  // namespace omk::repl
