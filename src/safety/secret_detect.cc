#include "safety/secret_detect.h"

namespace omk::safety {

const SecretMatcher& builtin_matcher() {
  // Never destroyed: the installed redactor uses it until the very end of the process.
  static const SecretMatcher* matcher = new SecretMatcher(builtin_rule_set());
  return *matcher;
}

std::optional<SecretDetection> detect_secret(std::string_view value) {
  const SecretMatcher& matcher = builtin_matcher();
  auto matches = matcher.find(value);
  if (matches.empty()) return std::nullopt;
  const SecretRule& rule = matcher.rules().rules[matches.front().rule];
  return SecretDetection{rule.id, rule.description};
}

}  // namespace omk::safety
