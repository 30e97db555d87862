#include "routing/risk.h"

#include "routing/english_risk.h"
#include "routing/korean_risk.h"
#include "routing/prompt_tokens.h"

namespace omk::routing {

std::string_view to_string(Risk risk) {
  switch (risk) {
    case Risk::kRead:
      return "read";
    case Risk::kWrite:
      return "write";
    case Risk::kShell:
      return "shell";
    case Risk::kMerge:
      return "merge";
  }
  return "read";
}

std::optional<Risk> parse_risk(std::string_view text) {
  for (Risk risk : {Risk::kRead, Risk::kWrite, Risk::kShell, Risk::kMerge}) {
    if (to_string(risk) == text) return risk;
  }
  return std::nullopt;
}

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
