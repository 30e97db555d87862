// classify_risk and build_envelope on arbitrary bytes: no crash or hang, the same answer twice,
// the risk is the highest non-negated match, and the envelope's payload is one valid JSON string.
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_target.h"
#include "routing/prompt_envelope.h"
#include "routing/risk.h"

int omk_fuzz_one(const uint8_t* data, size_t size) {
  using namespace omk::routing;
  std::string_view prompt(reinterpret_cast<const char*>(data), size);
  RiskAssessment first = classify_risk(prompt);
  RiskAssessment second = classify_risk(prompt);
  if (first.risk != second.risk || first.matches.size() != second.matches.size()) std::abort();
  Risk highest = Risk::kRead;
  for (const RiskMatch& match : first.matches) {
    if (!match.negated && match.risk > highest) highest = match.risk;
  }
  if (highest != first.risk) std::abort();

  EnvelopeHeader header;
  header.node_id = "turn-1";
  header.risk = first.risk;
  PromptEnvelope envelope = build_envelope(header, prompt);
  size_t at = envelope.text.find("\nPayload characters: ");
  if (at == std::string::npos) std::abort();
  size_t start = envelope.text.find('\n', at + 1) + 1;
  std::string line = envelope.text.substr(start, envelope.text.find('\n', start) - start);
  if (!nlohmann::json::parse(line, nullptr, false).is_string()) std::abort();
  return 0;
}
