// Rule files (gitleaks TOML) from untrusted input: parse, compile, match. Only UserError (a
// clear message, exit 2) may come out; anything else is a bug.
#include <string_view>

#include "core/error.h"
#include "fuzz_target.h"
#include "safety/rules.h"
#include "safety/secret_matcher.h"

int omk_fuzz_one(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    omk::safety::RuleSet rules = omk::safety::parse_rule_file(text, "fuzz.toml", "/nonexistent");
    if (rules.rules.size() > 16) return 0;  // [extend] useDefault: the built-ins are tested
    omk::safety::SecretMatcher matcher(std::move(rules), "fuzz.toml", false);
    matcher.find(text, "dir/file.txt");
    matcher.find(text);
  } catch (const omk::UserError&) {
  }
  return 0;
}
