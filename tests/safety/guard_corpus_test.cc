// The deny and allow corpora: every destructive variant refused, everyday commands let through.

#include <gtest/gtest.h>

#include <fstream>
#include <iomanip>
#include <iostream>

#include "guard_support.h"

namespace omk::guard {
namespace {

std::vector<std::string> load_corpus(const std::string& name) {
  std::ifstream in(std::string(OMK_TEST_SOURCE_DIR) + "/tests/corpus/guard/" + name);
  EXPECT_TRUE(in) << name;
  std::vector<std::string> commands;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    for (size_t at; (at = line.find("<NL>")) != std::string::npos;) line.replace(at, 4, "\n");
    commands.push_back(line);
  }
  return commands;
}

std::string describe(const Verdict& verdict) {
  std::string text(to_string(verdict.decision));
  for (const auto& reason : verdict.reasons)
    text += "\n    [" + reason.rule + "] " + reason.message;
  return text;
}

TEST(GuardCorpus, EveryDestructiveVariantIsDenied) {
  Guard guard(test::sample_context());
  auto commands = load_corpus("deny.txt");
  ASSERT_GE(commands.size(), 200u);
  size_t denied = 0;
  for (const auto& command : commands) {
    Verdict verdict = guard.check_command(command);
    if (verdict.decision == Decision::kDeny) {
      ++denied;
    } else {
      ADD_FAILURE() << "not denied: " << command << "\n  " << describe(verdict);
    }
  }
  double rate = 100.0 * static_cast<double>(denied) / static_cast<double>(commands.size());
  std::cout << std::fixed << std::setprecision(1) << "deny corpus: " << denied << "/"
            << commands.size() << " denied (" << rate << " %)\n";
  RecordProperty("deny_rate_percent", std::to_string(rate));
  EXPECT_EQ(denied, commands.size());
}

TEST(GuardCorpus, EverydayCommandsAreNotGotInTheWayOf) {
  Guard guard(test::sample_context());
  auto commands = load_corpus("allow.txt");
  ASSERT_GE(commands.size(), 200u);
  size_t not_allowed = 0;
  for (const auto& command : commands) {
    Verdict verdict = guard.check_command(command);
    EXPECT_NE(verdict.decision, Decision::kDeny)
        << "denied: " << command << "\n  " << describe(verdict);
    if (verdict.decision != Decision::kAllow) {
      ++not_allowed;
      std::cout << "  not allowed (" << to_string(verdict.decision) << "): " << command << "\n";
    }
  }
  double rate = 100.0 * static_cast<double>(not_allowed) / static_cast<double>(commands.size());
  std::cout << std::fixed << std::setprecision(1) << "allow corpus: " << not_allowed << "/"
            << commands.size() << " not allowed (" << rate << " %, target <= 2 %)\n";
  RecordProperty("allow_not_allowed_percent", std::to_string(rate));
  EXPECT_LE(rate, 2.0);
}

}  // namespace
}  // namespace omk::guard
