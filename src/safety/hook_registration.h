#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/scaffold.h"

namespace omk::guard {

// How the agents' hooks start omk: by the absolute path of this binary, or (when that cannot be
// found) by the name "omk" looked up on PATH.
struct HookProgram {
  std::string command;  // shell-quoted program, ready to put in a hook command line
  bool from_path = false;
};

HookProgram hook_program(const std::optional<std::filesystem::path>& self);

// The hook registrations `omk init` writes so that each agent CLI asks `omk hook pre-tool-use`
// before running a shell command or writing a file:
//   .claude/settings.json  merged into the user's settings (FilePolicy::kMergeJson)
//   .codex/hooks.json      merged likewise
//   .kimi/hooks.toml       [[hooks]] tables for Kimi's config.toml (omk's file)
ScaffoldPlan hook_registration_plan(const HookProgram& program);

// The hook command line for one CLI: "<program> hook pre-tool-use --format <format>".
std::string hook_command_line(const HookProgram& program, std::string_view format);

}  // namespace omk::guard
