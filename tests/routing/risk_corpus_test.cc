// The risk corpus: realistic prompts with the risk a careful reader would give them.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <string>

#include "routing/risk.h"

namespace omk::routing {
namespace {

struct Case {
  Risk expected;
  std::string prompt;
  int line;
};

std::vector<Case> load_corpus() {
  std::ifstream in(std::string(OMK_TEST_SOURCE_DIR) + "/tests/corpus/risk.tsv");
  std::vector<Case> cases;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      ADD_FAILURE() << "risk.tsv:" << number << " has no tab";
      continue;
    }
    auto risk = parse_risk(line.substr(0, tab));
    if (!risk) {
      ADD_FAILURE() << "risk.tsv:" << number << " has an unknown risk";
      continue;
    }
    cases.push_back({*risk, line.substr(tab + 1), number});
  }
  return cases;
}

TEST(RiskCorpus, AtLeastNinetySevenPercentMatch) {
  std::vector<Case> cases = load_corpus();
  ASSERT_GE(cases.size(), 300u);
  int matched = 0;
  int korean = 0;
  for (const Case& c : cases) {
    if (c.prompt.find_first_of("\xEA\xEB\xEC\xED") != std::string::npos) ++korean;
    RiskAssessment got = classify_risk(c.prompt);
    if (got.risk == c.expected) {
      ++matched;
      continue;
    }
    std::string words;
    for (const RiskMatch& m : got.matches) {
      words += " " + m.word + "=" + std::string(to_string(m.risk)) + (m.negated ? "(negated)" : "");
    }
    std::cout << "  miss risk.tsv:" << c.line << " expected " << to_string(c.expected) << " got "
              << to_string(got.risk) << ": " << c.prompt << " [" << words << " ]\n";
  }
  double accuracy = 100.0 * matched / static_cast<double>(cases.size());
  std::cout << "risk corpus: " << matched << "/" << cases.size() << " = " << accuracy << "% ("
            << korean << " Korean prompts)\n";
  EXPECT_GE(accuracy, 97.0);
  EXPECT_GE(korean, 60);
}

}  // namespace
}  // namespace omk::routing
