// build_child_env over arbitrary names and values. Lines are "p NAME=VALUE" (parent) or
// "e NAME=VALUE" (explicit); the first byte picks the policy switches.
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_target.h"
#include "safety/env_names.h"
#include "safety/env_policy.h"

int omk_fuzz_one(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  omk::safety::EnvPolicy policy;
  policy.trust_explicit_secrets = (data[0] & 1) != 0;
  policy.strict_explicit = (data[0] & 2) != 0;
  if ((data[0] & 4) != 0) policy.allow = {"MY_*", "EDITOR", "OPENAI_API_KEY"};
  if ((data[0] & 8) != 0) policy.grant_secrets = {"OPENAI_API_KEY", "MY_*"};
  omk::EnvMap parent;
  omk::EnvMap explicit_env;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.size() < 2) continue;
    std::string_view entry = line.substr(2);
    size_t eq = entry.find('=');
    std::string name(entry.substr(0, eq));
    std::string value(eq == std::string_view::npos ? "" : entry.substr(eq + 1));
    (line[0] == 'e' ? explicit_env : parent)[name] = value;
  }
  omk::safety::RunMetadata forced{"run", "node", "role", std::nullopt, std::nullopt, {}};
  omk::safety::ChildEnv child = omk::safety::build_child_env(parent, explicit_env, forced, policy);
  for (const auto& [name, value] : child.env) {
    // Invariants: nothing denylisted or controlling omk reaches a child, and parent-only
    // variables passed the allowlist or a grant.
    if (omk::safety::is_denylisted_env_name(name) || omk::safety::is_control_variable(name)) {
      std::abort();
    }
    if (name.find('=') != std::string::npos || name.empty()) std::abort();
    if (value.find('\0') != std::string::npos) std::abort();
  }
  return 0;
}
