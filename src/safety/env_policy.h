#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/environment.h"
#include "core/json_output.h"
#include "safety/env_adapters.h"

namespace omk::safety {

// Why a variable did not reach the child. Names only ever; values never leave this module.
enum class DropReason {
  kDenylist,         // always withheld (cloud credentials, GitHub/npm tokens, SSH agent, ...)
  kSecretName,       // the name says credential and nothing granted it
  kSecretValue,      // the value matches a secret rule and nothing granted it
  kNotAllowlisted,   // a parent variable outside the allowlist
  kControlVariable,  // omk's own switches (OMK_TRUST_*, ...; every OMK_* from the parent)
};
std::string_view to_string(DropReason reason);  // "denylist", "secret-name", ...

enum class EnvSource { kParent, kExplicit };
std::string_view to_string(EnvSource source);  // "parent", "explicit"

struct DroppedVariable {
  std::string name;
  DropReason reason;
  EnvSource source;
  std::string rule;  // for kSecretValue: the secret rule that matched the value
};

// Run metadata every child gets, set after everything else so nothing can override it.
struct RunMetadata {
  std::string run_id;                   // OMK_RUN_ID
  std::string node_id;                  // OMK_NODE_ID
  std::string node_role;                // OMK_NODE_ROLE
  std::optional<Json> provider_policy;  // OMK_NODE_PROVIDER_POLICY, as compact JSON
  std::optional<Json> capabilities;     // OMK_NODE_CAPABILITIES, as compact JSON
  // Further variables omk itself sets for this child (the sandbox's isolated HOME, PWD,
  // CODEX_HOME, ...). Set unconditionally: they come from omk's code, not from any input.
  EnvMap extra;
};

// What a child may receive. Build it with env_policy_from_config (or by hand in tests).
struct EnvPolicy {
  std::vector<std::string> allow;                // [env] allow: NAME or PREFIX*
  std::vector<std::string> grant_secrets;        // [env] grant_secrets: NAME or PREFIX*
  std::vector<std::string> adapter_names;        // the adapter's declared names
  std::vector<std::string> adapter_credentials;  // the adapter's own credential variable(s)
  // Read from omk's OWN environment, never from the explicit env they govern:
  bool trust_explicit_secrets = false;  // OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV=1
  bool strict_explicit = false;         // OMK_STRICT_KIMI_EXPLICIT_ENV=1 (trust is ignored)
  std::string explicit_context = "explicit env";  // where explicit env came from, for warnings
};

// The policy for a child of `adapter` (nullptr: no adapter) in the project `config`.
// `omk_env` is omk's own environment (current_environment()), where the trust switches live.
EnvPolicy env_policy_from_config(const Config& config, const EnvMap& omk_env,
                                 const AdapterEnvDeclaration* adapter = nullptr);

// The child's environment and its audit record (names only).
struct ChildEnv {
  EnvMap env;
  std::vector<std::string> passed;       // every name in `env`, sorted
  std::vector<std::string> granted;      // secret-like names that passed by grant or trust
  std::vector<DroppedVariable> dropped;  // sorted by name, then source
  std::vector<std::string> warnings;     // each names a variable, never a value
};

// Builds EVERY child's environment (agent CLIs, MCP stdio servers, hooks, worker processes).
//
//  parent    - omk's environment. A variable passes only if allowlisted (the basic set,
//              [env] allow, the adapter's names) or granted, and it is not an OMK_* variable,
//              not denylisted, not a code-injection variable (LD_PRELOAD, ...), not
//              secret-like by name unless granted, and its value matches no secret rule unless
//              granted.
//  explicit_env - trusted local input (a DAG node's env, an adapter's env, `--set K=V`): it
//              needs no allowlist, but control variables and denylisted names are dropped, and
//              secret-like names/values are dropped with one warning each unless granted or
//              trusted (OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV=1 in omk's own env and not
//              OMK_STRICT_KIMI_EXPLICIT_ENV=1). Code-injection variables pass with a warning.
//              A kept explicit value replaces the parent's.
//  forced    - run metadata, set last.
//
// Invalid entries (empty name, '=' or NUL in the name, NUL in the value) are dropped with a
// warning. The result never contains a value of a dropped variable except by coincidence of
// equal values, and the audit fields hold names only.
ChildEnv build_child_env(const EnvMap& parent, const EnvMap& explicit_env,
                         const RunMetadata& forced, const EnvPolicy& policy);

}  // namespace omk::safety
