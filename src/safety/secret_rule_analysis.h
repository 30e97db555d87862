#pragma once

#include <optional>
#include <string>
#include <vector>

#include "safety/rules.h"
#include "safety/secret_vectorscan.h"

namespace omk::safety {

// What compiling a rule set learns about each rule: its regex's capture groups and what
// vectorscan makes of it. Compiling all of that (every RE2, every vectorscan analysis) took three
// quarters of a short omk command's time, so it is kept next to the cached vectorscan databases.
// The key covers vectorscan's version and every pattern a rule set compiles (regexes, paths,
// allowlists), so a hit also means they were all checked valid: their RE2s can wait until used.
struct RuleAnalysis {
  int groups = 0;
  VectorscanExpressionInfo exact;      // flags 0
  VectorscanExpressionInfo prefilter;  // HS_FLAG_PREFILTER; asked only when `exact` failed
};

// The rule set's analyses from the cache (one per rule), or nothing.
std::optional<std::vector<RuleAnalysis>> cached_rule_analysis(const RuleSet& rules);

// Keeps the analyses for the next start (best effort, like the database cache).
void save_rule_analysis(const RuleSet& rules, const std::vector<RuleAnalysis>& analyses);

}  // namespace omk::safety
