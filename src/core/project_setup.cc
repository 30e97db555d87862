#include "core/project_setup.h"

#include <fmt/format.h>

namespace omk {

std::string default_config_toml(bool local_user) {
  const char* scope = local_user ? "all" : "project";
  std::string scope_note =
      local_user
          ? "# Written by `omk init --local-user`: \"all\" also reads your user-level files\n"
            "# (~/.omk, ~/.kimi). These are trusted local-user modes; use \"project\" to share.\n"
          : "# project: only this project's files. all: also your user-level files (~/.omk,\n"
            "# ~/.kimi) - a trusted local-user mode, never a default. none: nothing.\n";
  return fmt::format(
      R"(# omk project configuration. Every key is listed with its default; see
# docs/configuration.md. Environment variables named below win over this file.

[runtime]
# Which agent runtime runs work: "auto", "authority", "primary", "omk", or a provider id
# (codex, claude, kimi, qwen, gemini, opencode, deepseek, openrouter, moonshot,
# openai-compatible). Env: OMK_PROVIDER
provider = "auto"
# What "authority"/"primary"/"omk" mean: a provider id, or "auto" for the first healthy
# write-capable CLI (codex, claude, kimi, qwen, gemini, opencode). Env: OMK_AUTHORITY_PROVIDER
authority = "auto"
# Approval policy: "ask" (a human approves risky steps), "auto" (policy decides), "never".
# Env: OMK_EXECUTION
execution = "ask"
# Most permissive sandbox a write turn may get: "read-only", "workspace-write", "full-access".
sandbox = "workspace-write"
# Per-turn time limit in milliseconds. Env: OMK_TURN_TIMEOUT_MS
turn_timeout_ms = 120000
# Chat turns that may change files run in a disposable git worktree; their changes are shown
# and applied back with a three-way merge (asked under "ask"). false: they edit in place.
isolate_turns = true

[scopes]
{}mcp = "{}"        # Env: OMK_MCP_SCOPE
skills = "{}"     # Env: OMK_SKILLS_SCOPE
hooks = "{}"      # Env: OMK_HOOKS_SCOPE

[env]
# Extra parent environment variables children may receive (NAME or PREFIX*).
allow = []
# Secret-like variables explicitly granted to children, by name. Keep this short.
grant_secrets = []

[guard]
# The command guard (omk guard check, omk hook pre-tool-use) refuses destructive commands,
# secret reads and writes to protected paths on its own. These rules use Claude Code's syntax:
# Bash(git push:*), Bash(npm run *), Read(./.env), Edit(src/**). Evaluated deny, then ask, then
# allow; the first match wins. Only an allow rule here lifts a built-in deny, for the commands
# it matches. There is no environment override: an agent must not be able to loosen the guard.
deny = []
ask = []
allow = []
# Branches `git push` may not update.
protected_branches = ["main", "master"]

[sandbox]
# Refuse to run a child (exit 3) when a sandbox layer is missing here (see `omk sandbox probe`).
# Env: OMK_SANDBOX_REQUIRE
require = false
# Directories children may write besides the workspace (workspace-write profile only).
# Relative paths are relative to the project root; "~/" is your home directory.
writable_roots = []
# Directories children may read beyond the system ones, e.g. toolchains under your HOME.
readable_roots = []

[secrets]
# `omk secrets scan` skips (and counts) files larger than this many MiB.
max_file_mib = 25

# Per MCP server (a table per server name in .kimi/mcp.json / .omk/mcp.json), for example:
# [mcp.github]
# Variables the server's "${{NAME}}" env/header references may resolve to; nothing else of
# omk's environment reaches an MCP server.
# grant = ["GITHUB_PERSONAL_ACCESS_TOKEN"]
# Sandbox profile of a stdio server: "read-only" (default), "workspace-write", "full-access".
# sandbox = "read-only"
# Network for a stdio server (off unless declared).
# network = false

# Per provider (a table per provider id; see docs/providers.md), for example:
# [providers.codex]
# Whether policy resolution may choose it.
# enabled = true
# The model; empty: the CLI's own default.
# model = ""
# The executable: a name looked up on PATH, or a path; empty: its usual name.
# binary = ""
# Send its model traffic elsewhere (a gateway, a local server); empty: its own endpoint.
# base_url = ""
# The variable in omk's environment with its API key (granted to this provider alone).
# api_key_env = ""
)",
      scope_note, scope, scope, scope);
}

namespace {

constexpr const char* kEmptyMcpConfig = "{\n  \"mcpServers\": {}\n}\n";

constexpr const char* kAgentsMd = R"(# Working in this project with omk

This project is set up for omk, a control plane that runs coding agents (Codex, Claude Code,
Kimi, Qwen Code, Gemini CLI, OpenCode, API models) with a scrubbed environment and evidence
gates.

- `.omk/` is omk's own state: `config.toml` (settings), `mcp.json` (project MCP servers), and
  run records under `.omk/runs/` (private; ignored by git). Agents do not edit it.
- `.kimi/` is the agent-facing surface: `skills/`, `hooks/` and `mcp.json`.
- Agents receive only allowlisted environment variables; secrets are never passed unless the
  project grants them by name in `.omk/config.toml` (`[env] grant_secrets`).
- Work is done when its evidence says so (build, tests, secret scan), not when an agent says so.
- Never write credentials into files in this repository; use `${VAR}` references in MCP config.
)";

constexpr const char* kGitignoreBlock =
    "# omk: run records, worktrees and the index are local state\n"
    ".omk/runs/\n"
    ".omk/worktrees/\n"
    ".omk/*.db\n";

}  // namespace

ScaffoldPlan project_setup_plan(const ProjectSetupOptions& options) {
  ScaffoldPlan plan;
  plan.directories = {".omk", ".kimi", ".kimi/skills", ".kimi/hooks"};
  plan.files = {
      {".omk/config.toml", default_config_toml(options.local_user), FilePolicy::kGenerated},
      {".omk/mcp.json", kEmptyMcpConfig, FilePolicy::kGenerated},
      {".kimi/mcp.json", kEmptyMcpConfig, FilePolicy::kGenerated},
      {"AGENTS.md", kAgentsMd, FilePolicy::kCreateOnly},
      {".gitignore", kGitignoreBlock, FilePolicy::kEnsureLines},
  };
  return plan;
}

}  // namespace omk
