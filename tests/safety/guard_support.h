#pragma once

#include <string>

#include "safety/guard.h"

namespace omk::guard::test {

// The context the corpus and the rule tests assume (see tests/corpus/guard/deny.txt).
inline GuardContext sample_context() {
  GuardContext context;
  context.workspace = "/work/project";
  context.cwd = "/work/project";
  context.home = "/home/dev";
  context.tmpdir = "/tmp";
  context.current_branch = "feature/guard";
  return context;
}

inline Policy policy(std::vector<std::string> deny, std::vector<std::string> ask,
                     std::vector<std::string> allow) {
  Policy result;
  auto parse = [](const std::vector<std::string>& texts) {
    std::vector<PolicyRule> rules;
    for (const auto& text : texts) {
      std::string error;
      rules.push_back(*parse_policy_rule(text, error));
    }
    return rules;
  };
  result.deny = parse(deny);
  result.ask = parse(ask);
  result.allow = parse(allow);
  return result;
}

inline bool has_rule(const Verdict& verdict, const std::string& rule) {
  for (const auto& reason : verdict.reasons) {
    if (reason.rule == rule) return true;
  }
  return false;
}

}  // namespace omk::guard::test
