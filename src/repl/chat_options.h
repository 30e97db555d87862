#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/environment.h"
#include "routing/turn_policy.h"
#include "sandbox/profile.h"

namespace omk::repl {

// What `omk chat` (or bare `omk` on a terminal) was started with. The CLI resolves the project
// and loads the configuration (with --mcp-scope already applied as OMK_MCP_SCOPE).
struct ChatOptions {
  std::filesystem::path project_root;
  Config config;
  EnvMap env;            // omk's own environment
  std::string provider;  // --provider ("" : [runtime] provider, usually auto)
  std::string model;     // --model (with a named provider)
  std::optional<routing::Execution> execution;  // --execution
  std::optional<sandbox::Profile> sandbox;      // --sandbox
  std::optional<routing::Risk> risk;            // --risk (the session's starting override)
  std::optional<std::string> once;              // --once PROMPT, or a prompt read from stdin
  bool json = false;                            // --json (once mode only)
  bool interactive = false;  // stdin is a terminal: approvals can be asked, Ctrl-C handled
};

}  // namespace omk::repl
