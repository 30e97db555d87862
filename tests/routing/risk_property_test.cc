// Properties of classify_risk over generated prompts: total (no crash, no hang) on arbitrary
// bytes and UTF-8, deterministic, ASCII case-insensitive, and an appended command sentence
// always counts.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "routing/risk.h"

namespace omk::routing {
namespace {

const std::vector<std::string> kPieces = {
    "fix",  "the",  "bug",  "don't", "push",    "merge",  "-",    "sort",   "run",     "tests",
    "and",  "then", "if",   "?",     ".",       ",",      "`",    "npm",    "publish", "without",
    "수정", "해줘", "하지", "말고",  "배포",    "테스트", "돌려", "ㅎ",     "\n",      "can",
    "you",  "what", "make", "sure",  "git",     "tag",    "v1.0", "build",  "a",       "branch",
    "'",    "’",    "😀",    "\t",    "between", "or",     "not",  "please", "는",      "좀"};

std::string random_prompt(std::mt19937& rng) {
  std::uniform_int_distribution<size_t> count(0, 24), pick(0, kPieces.size() - 1);
  std::string out;
  size_t n = count(rng);
  for (size_t i = 0; i < n; ++i) {
    out += kPieces[pick(rng)];
    if (rng() % 3 != 0) out += ' ';
  }
  return out;
}

std::string random_bytes(std::mt19937& rng) {
  std::uniform_int_distribution<size_t> length(0, 200);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out(length(rng), '\0');
  for (char& c : out) c = static_cast<char>(byte(rng));
  return out;
}

std::string ascii_upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

bool same(const RiskAssessment& a, const RiskAssessment& b) {
  if (a.risk != b.risk || a.read_only_requested != b.read_only_requested) return false;
  if (a.matches.size() != b.matches.size()) return false;
  for (size_t i = 0; i < a.matches.size(); ++i) {
    if (a.matches[i].word != b.matches[i].word || a.matches[i].risk != b.matches[i].risk ||
        a.matches[i].negated != b.matches[i].negated) {
      return false;
    }
  }
  return true;
}

TEST(RiskProperty, TotalAndDeterministicOnArbitraryBytes) {
  std::mt19937 rng(20261126);
  for (int i = 0; i < 3000; ++i) {
    std::string prompt = i % 2 ? random_bytes(rng) : random_prompt(rng);
    RiskAssessment first = classify_risk(prompt);
    RiskAssessment second = classify_risk(prompt);
    ASSERT_TRUE(same(first, second)) << prompt;
    // The risk is the highest non-negated match, read when there is none.
    Risk highest = Risk::kRead;
    for (const RiskMatch& m : first.matches) {
      if (!m.negated && m.risk > highest) highest = m.risk;
    }
    ASSERT_EQ(first.risk, highest) << prompt;
  }
}

TEST(RiskProperty, AsciiCaseDoesNotMatter) {
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string prompt = random_prompt(rng);
    ASSERT_TRUE(same(classify_risk(prompt), classify_risk(ascii_upper(prompt)))) << prompt;
  }
}

TEST(RiskProperty, AnAppendedCommandSentenceAlwaysCounts) {
  std::mt19937 rng(11);
  for (int i = 0; i < 2000; ++i) {
    std::string prompt = random_prompt(rng);
    if (prompt.find('`') != std::string::npos) continue;  // an open code span swallows the rest
    ASSERT_EQ(classify_risk(prompt + "\npush to main").risk, Risk::kMerge) << prompt;
    Risk with_run = classify_risk(prompt + "\nrun the tests").risk;
    ASSERT_GE(static_cast<int>(with_run), static_cast<int>(Risk::kShell)) << prompt;
  }
}

TEST(RiskProperty, LongPromptsStayLinearEnough) {
  std::string prompt;
  for (int i = 0; i < 20000; ++i) prompt += "please fix the bug and then 수정해줘 ";
  RiskAssessment a = classify_risk(prompt);
  EXPECT_EQ(a.risk, Risk::kWrite);
}

}  // namespace
}  // namespace omk::routing
