#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace omk::safety {

// What one agent adapter reads from its environment: the non-secret names it needs from the
// parent (they join the allowlist for that adapter's children only) and its own credential
// variable(s), granted to that adapter only. `omk env check --adapter NAME` uses this table;
// the providers layer (issue 7) owns adapters and should keep this table as the single list, or
// replace it with its registry's declarations.
//
// The facts come from running the real CLIs (shared reference peers.md) and the original
// project's provider code (reference runtime.md): e.g. Claude Code reads ANTHROPIC_API_KEY and
// ANTHROPIC_BASE_URL, Gemini CLI reads GEMINI_API_KEY and GOOGLE_GEMINI_BASE_URL.
struct AdapterEnvDeclaration {
  std::string name;
  std::vector<std::string> names;        // NAME or PREFIX*
  std::vector<std::string> credentials;  // exact names
  std::string source;                    // where the facts come from
};

const std::vector<AdapterEnvDeclaration>& adapter_env_declarations();

// nullptr when `name` is not an adapter omk knows.
const AdapterEnvDeclaration* find_adapter_env(std::string_view name);

}  // namespace omk::safety
