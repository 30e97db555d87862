#pragma once

#include <string_view>
#include <vector>

#include "routing/risk.h"

namespace omk::routing {

struct LanguageFindings {
  std::vector<RiskMatch> matches;
  bool read_only_requested = false;
};

// The English half of classify_risk: actions asked for in imperative or request clauses and in
// pasted command lines. `lowered` comes from lower_prompt().
LanguageFindings english_findings(std::string_view lowered);

}  // namespace omk::routing
