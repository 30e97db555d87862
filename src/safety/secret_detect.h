#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "safety/secret_matcher.h"

namespace omk::safety {

// omk's built-in rules, compiled once per process on first use (thread-safe). The matcher every
// layer should use unless the user named a rule file.
const SecretMatcher& builtin_matcher();

struct SecretDetection {
  std::string rule_id;      // e.g. "openai-project-key"
  std::string description;  // e.g. "OpenAI project API key"
};

// Whether `value` contains a secret by the built-in rules, and which rule found the first one.
// For other layers' decisions about one value: MCP import refusing literal secrets in env or
// headers, picking an image API key's vendor, classifying an environment value. Context rules
// (a name next to a value) need that context in `value`; a bare low-entropy password is not
// detected here, which is why callers also check the variable's name (is_secret_like_name).
std::optional<SecretDetection> detect_secret(std::string_view value);

inline bool is_secret_value(std::string_view value) {
  return detect_secret(value).has_value();
}

}  // namespace omk::safety
