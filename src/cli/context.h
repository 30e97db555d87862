#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/environment.h"
#include "core/project_root.h"

namespace omk::cli {

// State shared by all commands: global flags and the action the parsed subcommand chose.
struct Context {
  std::optional<std::filesystem::path> project_flag;  // --project DIR
  EnvMap env = current_environment();
  std::function<int()> action;  // set by the subcommand's callback; run after parsing

  ProjectRoot project_root() const;
  // The project a command starting in `cwd` belongs to, for the guard. Unlike project_root(), a
  // session in the home directory is not an error: the guard must still answer there, so the
  // directory itself is used.
  ProjectRoot guard_root(const std::filesystem::path& cwd) const;
  Config config(const ProjectRoot& root) const;
};

// Each command group registers itself here: one file per group.
void register_version_command(CLI::App& app, Context& context);
void register_init_command(CLI::App& app, Context& context);
void register_config_command(CLI::App& app, Context& context);
void register_dag_command(CLI::App& app, Context& context);
void register_runs_command(CLI::App& app, Context& context);
// inspect and diff-runs
void register_inspect_command(CLI::App& app, Context& context);
void register_run_command(CLI::App& app, Context& context);
// verify and replay
void register_verify_command(CLI::App& app, Context& context);
// merge and worktrees
void register_merge_command(CLI::App& app, Context& context);
void register_env_command(CLI::App& app, Context& context);
void register_secrets_command(CLI::App& app, Context& context);
void register_guard_command(CLI::App& app, Context& context);
void register_hook_command(CLI::App& app, Context& context);
void register_mcp_command(CLI::App& app, Context& context);
void register_doctor_command(CLI::App& app, Context& context);
void register_provider_command(CLI::App& app, Context& context);
void register_route_command(CLI::App& app, Context& context);
void register_sandbox_command(CLI::App& app, Context& context);
void register_image_command(CLI::App& app, Context& context);
// chat, and bare `omk` on a terminal
void register_chat_command(CLI::App& app, Context& context);
int start_chat_session(Context& context);

}  // namespace omk::cli
