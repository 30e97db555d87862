#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/environment.h"
#include "safety/guard.h"

namespace omk::guard {

// The project's [guard] rules. Throws UserError (exit 2) naming the key and the rule when one
// is not a rule the guard understands.
Policy policy_from_config(const Config& config);

// Makes the guard judge written content with omk's built-in secret rules
// (safety::detect_secret). make_project_guard calls it.
void install_builtin_content_scanner();

// The guard for a project (with the built-in content scanner installed): the root is the workspace,
// `cwd` where commands start (both made absolute and free of symlinks), HOME/TMPDIR/VIRTUAL_ENV
// from omk's own environment (the one the agent CLI started the hook with, never one the agent's
// command sets), the current branch read from the repository, and the project's rules.
Guard make_project_guard(const std::filesystem::path& project_root,
                         const std::filesystem::path& cwd, const Config& config, const EnvMap& env);

// The checked-out branch of the repository containing `dir` (reads .git/HEAD, following a
// worktree's gitdir file); nullopt when detached or not in a repository.
std::optional<std::string> current_git_branch(const std::filesystem::path& dir);

}  // namespace omk::guard
