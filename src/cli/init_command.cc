#include <fmt/format.h>
#include <unistd.h>

#include <climits>

#include "cli/context.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/log.h"
#include "core/output.h"
#include "core/project_setup.h"
#include "mcp/config_edit.h"
#include "safety/hook_registration.h"

namespace omk::cli {
namespace {

struct InitFlags {
  bool local_user = false;
  bool force = false;
  bool dry_run = false;
  bool json = false;
};

std::string describe_root(const ProjectRoot& root) {
  switch (root.source) {
    case RootSource::kFlag:
      return "from --project";
    case RootSource::kEnv:
      return "from OMK_PROJECT_ROOT";
    case RootSource::kMarker:
      return "existing omk project";
    case RootSource::kGit:
      return "git repository top level";
    case RootSource::kCwd:
      return "current directory";
  }
  return "";
}

std::string verb(ScaffoldAction action, bool dry_run) {
  if (!dry_run) return to_string(action);
  switch (action) {
    case ScaffoldAction::kCreated:
      return "would create";
    case ScaffoldAction::kOverwritten:
      return "would overwrite";
    case ScaffoldAction::kUpdated:
      return "would update";
    default:
      return to_string(action);
  }
}

// The path of the running binary: the hooks call exactly this omk.
std::optional<std::filesystem::path> own_executable() {
  char buffer[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n <= 0) return std::nullopt;
  std::string path(buffer, static_cast<size_t>(n));
  if (path.find(" (deleted)") != std::string::npos) return std::nullopt;
  return std::filesystem::path(path);
}

void append_plan(ScaffoldPlan& plan, const ScaffoldPlan& more) {
  plan.directories.insert(plan.directories.end(), more.directories.begin(), more.directories.end());
  plan.files.insert(plan.files.end(), more.files.begin(), more.files.end());
}

// A kept config that no longer parses is the user's to fix, but they should hear about it now.
std::optional<std::string> kept_config_problem(const ProjectRoot& root, const Context& context) {
  try {
    context.config(root);
  } catch (const UserError& error) {
    return std::string(error.what());
  }
  return std::nullopt;
}

int run_init(const InitFlags& flags, const Context& context) {
  ProjectRoot root = context.project_root();
  ScaffoldPlan plan = project_setup_plan({flags.local_user});
  // The agent-facing MCP file starts with the built-in omk-project server (the mcp layer owns
  // its entry; core only knows the file exists).
  for (auto& file : plan.files) {
    if (file.relative == ".kimi/mcp.json") {
      file.content = mcp::baseline_project_mcp_json(
          mcp::omk_self_command(env_value(context.env, "PATH").value_or("")));
    }
  }
  guard::HookProgram hook = guard::hook_program(own_executable());
  append_plan(plan, guard::hook_registration_plan(hook));
  auto outcomes = apply_scaffold(root.path, plan, {flags.force, flags.dry_run});

  std::vector<std::string> warnings;
  if (!flags.dry_run) {
    if (auto problem = kept_config_problem(root, context)) {
      warnings.push_back(*problem +
                         "\n  .omk/config.toml was kept as it is; fix it, or run "
                         "`omk init --force` to rewrite it (a .bak is saved)");
    }
  }
  if (hook.from_path) {
    warnings.push_back(
        "the hooks call `omk` from PATH: the path of this omk binary could not be determined; "
        "make sure `omk` on PATH is this one");
  }
  std::string scope = flags.local_user ? "all" : "project";

  if (flags.json) {
    auto document = json_envelope("init");
    document["root"] = root.path.string();
    document["root_source"] = to_string(root.source);
    document["dry_run"] = flags.dry_run;
    document["force"] = flags.force;
    document["local_user"] = flags.local_user;
    document["scopes"] = {{"mcp", scope}, {"skills", scope}, {"hooks", scope}};
    auto files = Json::array();
    for (const auto& outcome : outcomes) {
      Json entry = {{"path", outcome.path}, {"action", to_string(outcome.action)}};
      if (outcome.backup) entry["backup"] = *outcome.backup;
      files.push_back(entry);
    }
    document["files"] = files;
    document["hooks"] = {{"command", guard::hook_command_line(hook, "<format>")},
                         {"from_path", hook.from_path}};
    document["warnings"] = warnings;
    print_json(document);
    return 0;
  }

  std::string text =
      fmt::format("{} omk project in {} ({})\n",
                  flags.dry_run ? "Dry run: nothing written. Would set up the" : "Set up the",
                  root.path.string(), describe_root(root));
  for (const auto& outcome : outcomes) {
    text += fmt::format("  {:<15} {}", verb(outcome.action, flags.dry_run), outcome.path);
    if (outcome.backup) text += fmt::format("  (previous saved as {})", *outcome.backup);
    if (!outcome.note.empty()) text += fmt::format("  ({})", outcome.note);
    text += "\n";
  }
  if (flags.local_user) {
    text +=
        "Scopes: mcp, skills and hooks are \"all\" - trusted local-user modes that also read\n"
        "your ~/.omk and ~/.kimi files at run time. Nothing from them was copied into the "
        "project.\n";
  } else {
    text += "Scopes: mcp, skills and hooks are \"project\": only this project's files are used.\n";
  }
  text += fmt::format(
      "Hooks: Claude Code (.claude/settings.json), Codex (.codex/hooks.json) and Kimi\n"
      "(.kimi/hooks.toml) run `{}` before shell commands and file edits.\n",
      guard::hook_command_line(hook, "<agent>"));
  if (!flags.dry_run) text += "Settings: .omk/config.toml (every key listed with its default).\n";
  print_out(text);
  for (const auto& warning : warnings) log::warn("{}", warning);
  return 0;
}

}  // namespace

void register_init_command(CLI::App& app, Context& context) {
  auto flags = std::make_shared<InitFlags>();
  auto* command = app.add_subcommand(
      "init",
      "Set up omk in this project: .omk/config.toml, MCP files, AGENTS.md, .gitignore lines,\n"
      "and the command-guard hooks of Claude Code, Codex and Kimi. Existing files are kept\n"
      "(settings files are merged); nothing of your user-level config is copied.");
  command->add_flag("--local-user", flags->local_user,
                    "Trusted local-user mode: scopes \"all\" (also read ~/.omk and ~/.kimi at "
                    "run time)");
  command->add_flag("--force", flags->force,
                    "Rewrite omk's files that differ from the defaults, saving each as .bak first");
  command->add_flag("--dry-run", flags->dry_run, "Show what would be written; write nothing");
  command->add_flag("--json", flags->json, "Print one omk.init.v1 JSON document");
  command->callback([&context, flags] {
    context.action = [&context, flags] { return run_init(*flags, context); };
  });
}

}  // namespace omk::cli
