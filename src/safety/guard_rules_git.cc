// git: pushes that rewrite or delete remote history or land on a protected branch, history
// rewrites, commands that throw away uncommitted work, config that makes git run programs.

#include <algorithm>

#include "safety/guard_access.h"
#include "safety/guard_rules_impl.h"

namespace omk::guard::rules {
namespace {

struct GitCommand {
  std::string subcommand;
  std::vector<const Arg*> args;               // after the subcommand
  std::vector<std::string> config_overrides;  // -c key=value
};

GitCommand parse_git(const Invocation& inv) {
  GitCommand git;
  const auto& argv = inv.argv;
  size_t i = 1;
  while (i < argv.size()) {
    const std::string& text = argv[i].text;
    if (text == "-c" && i + 1 < argv.size()) {
      git.config_overrides.push_back(argv[i + 1].text);
      i += 2;
    } else if (text == "-C" || text == "--git-dir" || text == "--work-tree" ||
               text == "--namespace" || text == "--config-env" || text == "--exec-path") {
      i += 2;
    } else if (!text.empty() && text[0] == '-') {
      ++i;
    } else {
      break;
    }
  }
  if (i < argv.size()) git.subcommand = argv[i].text;
  for (size_t k = i + 1; k < argv.size(); ++k) git.args.push_back(&argv[k]);
  return git;
}

bool has_arg(const GitCommand& git, std::initializer_list<std::string_view> names) {
  return std::any_of(git.args.begin(), git.args.end(), [&](const Arg* arg) {
    return std::find(names.begin(), names.end(), arg->text) != names.end();
  });
}

bool has_prefix_arg(const GitCommand& git, std::string_view prefix) {
  return std::any_of(git.args.begin(), git.args.end(),
                     [&](const Arg* arg) { return starts_with(arg->text, prefix); });
}

// A short-option cluster among the arguments containing `letter` ("-fd" has 'f').
bool has_short(const GitCommand& git, char letter) {
  for (const Arg* arg : git.args) {
    const std::string& text = arg->text;
    if (text == "--") break;
    if (text.size() > 1 && text[0] == '-' && text[1] != '-' &&
        text.find(letter) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::string branch_of(std::string ref, const GuardContext& context) {
  if (starts_with(ref, "refs/heads/")) ref = ref.substr(11);
  if (ref == "HEAD" || ref == "@") return context.current_branch.value_or("");
  return ref;
}

bool is_protected(const std::string& branch, const GuardContext& context) {
  return !branch.empty() &&
         std::find(context.protected_branches.begin(), context.protected_branches.end(), branch) !=
             context.protected_branches.end();
}

void judge_push(const Judge& judge, const GitCommand& git) {
  if (has_arg(git, {"-n", "--dry-run"})) return;
  bool force = has_arg(git, {"--force", "--force-with-lease"}) ||
               has_prefix_arg(git, "--force-with-lease=") || has_short(git, 'f');
  if (force) {
    judge.add(Decision::kDeny, "git-push-force", "git push --force rewrites remote history");
    return;
  }
  if (has_arg(git, {"--mirror"})) {
    judge.add(Decision::kDeny, "git-push-mirror",
              "git push --mirror overwrites and deletes every remote ref");
    return;
  }
  if (has_arg(git, {"--delete", "--prune"}) || has_short(git, 'd')) {
    judge.add(Decision::kDeny, "git-push-delete", "git push deletes remote branches or tags");
    return;
  }
  std::vector<std::string> operands;
  bool options_done = false;
  for (size_t i = 0; i < git.args.size(); ++i) {
    const std::string& text = git.args[i]->text;
    if (!options_done && text == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && !text.empty() && text[0] == '-') {
      if (text == "--repo" || text == "-o" || text == "--push-option" || text == "--receive-pack" ||
          text == "--exec") {
        ++i;
      }
      continue;
    }
    operands.push_back(text);
  }
  if (has_arg(git, {"--all", "--branches"})) {
    judge.add(Decision::kDeny, "git-push-protected",
              "git push --all also pushes the protected branches");
    return;
  }
  if (operands.size() <= 1) {
    std::string branch = judge.context.current_branch.value_or("");
    if (is_protected(branch, judge.context)) {
      judge.add(Decision::kDeny, "git-push-protected",
                "git push sends the current branch '" + branch +
                    "', a protected branch; push a feature branch and open a pull request");
    }
    return;
  }
  for (size_t i = 1; i < operands.size(); ++i) {
    std::string refspec = operands[i];
    if (!refspec.empty() && refspec[0] == '+') {
      judge.add(Decision::kDeny, "git-push-force",
                "git push " + refspec + " force-updates a remote ref");
      continue;
    }
    size_t colon = refspec.find(':');
    if (colon == 0) {
      judge.add(Decision::kDeny, "git-push-delete",
                "git push " + refspec + " deletes a remote ref");
      continue;
    }
    std::string destination = colon == std::string::npos ? refspec : refspec.substr(colon + 1);
    std::string branch = branch_of(destination, judge.context);
    if (is_protected(branch, judge.context)) {
      judge.add(Decision::kDeny, "git-push-protected",
                "git push to the protected branch '" + branch +
                    "'; push a feature branch and open a pull request");
    }
  }
}

bool runs_programs(std::string key) {
  key = lower(key);
  return starts_with(key, "alias.") || key == "core.hookspath" || key == "core.sshcommand" ||
         key == "core.fsmonitor" || key == "core.pager" || key == "core.editor" ||
         key == "core.askpass" || starts_with(key, "credential.") || key == "gpg.program" ||
         key == "sequence.editor" || (starts_with(key, "filter.") || starts_with(key, "diff.")) ||
         key == "uploadpack.packobjectshook" || starts_with(key, "url.");
}

void judge_config(const Judge& judge, const GitCommand& git) {
  for (const Arg* arg : git.args) {
    if (arg->text.empty() || arg->text[0] == '-') continue;
    if (runs_programs(arg->text)) {
      bool alias_shell = starts_with(lower(arg->text), "alias.");
      if (alias_shell) {
        // An alias only runs a program when its value starts with '!'.
        auto it = std::find(git.args.begin(), git.args.end(), arg);
        if (it + 1 == git.args.end() || (*(it + 1))->text.empty() || (*(it + 1))->text[0] != '!') {
          return;
        }
      }
      judge.add(Decision::kDeny, "git-config-exec",
                "git config " + arg->text + " makes git run a program chosen by the agent");
    }
    return;  // only the first operand is the key
  }
}

}  // namespace

void judge_git(const Judge& judge) {
  if (judge.invocation.program != "git") return;
  GitCommand git = parse_git(judge.invocation);
  for (const auto& override_setting : git.config_overrides) {
    std::string key = override_setting.substr(0, override_setting.find('='));
    if (runs_programs(key) && !starts_with(lower(key), "alias.")) {
      judge.add(Decision::kAsk, "git-config-exec",
                "git -c " + key + " makes git run a program for this command");
    }
  }
  const std::string& sub = git.subcommand;
  if (sub == "push") {
    judge_push(judge, git);
  } else if (sub == "filter-branch" || sub == "filter-repo") {
    judge.add(Decision::kDeny, "git-filter-branch", "git " + sub + " rewrites the whole history");
  } else if (sub == "reset" && has_arg(git, {"--hard"})) {
    judge.add(Decision::kAsk, "git-reset-hard", "git reset --hard discards uncommitted work");
  } else if (sub == "clean" && (has_short(git, 'f') || has_arg(git, {"--force"})) &&
             !has_short(git, 'n') && !has_arg(git, {"--dry-run"})) {
    judge.add(Decision::kAsk, "git-clean", "git clean -f deletes untracked files");
  } else if (sub == "checkout" || sub == "restore") {
    bool discard = has_arg(git, {"--", "."}) || has_short(git, 'f') || has_arg(git, {"--force"});
    if (sub == "restore") {
      discard = !has_arg(git, {"--staged", "-S"}) || has_arg(git, {"--worktree", "-W"});
    }
    if (discard) {
      judge.add(Decision::kAsk, "git-discard",
                "git " + sub + " overwrites uncommitted changes in the working tree");
    }
  } else if (sub == "branch" &&
             (has_arg(git, {"-D"}) || has_short(git, 'D') ||
              (has_arg(git, {"--delete", "-d"}) && has_arg(git, {"--force", "-f"})))) {
    judge.add(Decision::kAsk, "git-branch-delete", "git branch -D deletes an unmerged branch");
  } else if (sub == "stash" && !git.args.empty() &&
             (git.args.front()->text == "drop" || git.args.front()->text == "clear")) {
    judge.add(Decision::kAsk, "git-stash-drop",
              "git stash " + git.args.front()->text + " throws away stashed work");
  } else if (sub == "config") {
    judge_config(judge, git);
  }
}

}  // namespace omk::guard::rules
