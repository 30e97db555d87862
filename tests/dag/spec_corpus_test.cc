#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "dag/spec_parser.h"
#include "test_support.h"

namespace omk::dag {
namespace {
namespace fs = std::filesystem;

struct Expectation {
  int line;
  int column;
  std::string text;
};

std::vector<Expectation> expectations_for(const fs::path& fixture) {
  fs::path sidecar = fixture.string() + ".expect";
  std::string text = test::read_text(fs::exists(sidecar) ? sidecar : fixture);
  std::vector<Expectation> out;
  std::regex pattern(R"(# expect: (\d+):(\d+): (.*))");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, pattern)) {
      out.push_back({std::stoi(match[1]), std::stoi(match[2]), match[3]});
    }
  }
  return out;
}

std::vector<fs::path> fixtures(const std::string& kind) {
  std::vector<fs::path> out;
  for (const auto& entry :
       fs::directory_iterator(fs::path(OMK_TEST_SOURCE_DIR) / "tests" / "corpus" / "dag" / kind)) {
    auto ext = entry.path().extension();
    if (ext == ".yaml" || ext == ".json") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SpecCorpus, EveryInvalidFixtureReportsExactlyItsProblems) {
  auto files = fixtures("invalid");
  ASSERT_GE(files.size(), 20u);
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    auto expected = expectations_for(file);
    ASSERT_FALSE(expected.empty()) << "fixture has no # expect lines";
    auto result = read_spec(test::read_text(file), file.filename().string());
    EXPECT_FALSE(result.spec.has_value());
    std::string all;
    for (const auto& problem : result.problems) {
      all += format_problem(file.filename().string(), problem) + "\n";
    }
    for (const auto& want : expected) {
      bool found = false;
      for (const auto& problem : result.problems) {
        found = found || (problem.mark.line == want.line && problem.mark.column == want.column &&
                          problem.message.find(want.text) != std::string::npos);
      }
      EXPECT_TRUE(found) << "missing " << want.line << ":" << want.column << ": " << want.text
                         << "\ngot:\n"
                         << all;
    }
    EXPECT_EQ(result.problems.size(), expected.size()) << all;
  }
}

TEST(SpecCorpus, EveryValidFixtureParsesAndRoundTrips) {
  auto files = fixtures("valid");
  ASSERT_GE(files.size(), 2u);
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    auto result = read_spec(test::read_text(file), file.filename().string());
    ASSERT_TRUE(result.spec.has_value()) << format_problem("x", result.problems.front());
  }
}

}  // namespace
}  // namespace omk::dag
