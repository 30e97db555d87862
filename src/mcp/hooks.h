#pragma once

#include <string>
#include <vector>

#include "core/environment.h"
#include "mcp/diagnostic.h"
#include "mcp/scopes.h"

namespace omk::mcp {

// One hook an agent CLI will run: Kimi's [[hooks]] tables, Codex's hooks.json, Claude Code's
// settings.json "hooks" (event → matcher groups → handlers).
struct HookRegistration {
  std::string agent;    // kimi, codex, claude
  std::string event;    // PreToolUse, Stop, …
  std::string matcher;  // may be empty (every tool)
  std::string type;     // "command" or another handler type (http, prompt, …)
  std::string command;  // for command handlers
  std::string path;     // the registering file, displayed
  Origin origin = Origin::kProject;
};

struct HookScan {
  std::vector<HookRegistration> hooks;
  std::vector<Diagnostic> diagnostics;
};

// Reads and validates every active hook file. A command whose program does not exist is a
// diagnostic: an agent would fail (or, for Kimi, silently allow) when it runs.
HookScan scan_hooks(const std::vector<ActiveHookFile>& files, const Locations& locations,
                    const EnvMap& env);

}  // namespace omk::mcp
