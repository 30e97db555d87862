#include "routing/risk.h"

#include "routing/english_risk.h"
#include "routing/korean_risk.h"
#include "routing/prompt_tokens.h"

namespace omk::routing {

RiskAssessment classify_risk(std::string_view prompt) {
  std::string lowered = lower_prompt(prompt);
  LanguageFindings english = english_findings(lowered);
  LanguageFindings korean = korean_findings(lowered);
  RiskAssessment assessment;
  assessment.read_only_requested = english.read_only_requested || korean.read_only_requested;
  assessment.matches = std::move(english.matches);
  assessment.matches.insert(assessment.matches.end(), korean.matches.begin(), korean.matches.end());
  for (const RiskMatch& match : assessment.matches) {
    if (!match.negated && match.risk > assessment.risk) assessment.risk = match.risk;
  }
  return assessment;
}

}  // namespace omk::routing
