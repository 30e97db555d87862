#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "test_support.h"

namespace omk {
namespace {

// The subcommand names listed under "Subcommands:" in a help text.
std::vector<std::string> subcommands_in(const std::string& help) {
  std::vector<std::string> names;
  auto at = help.find("Subcommands:");
  if (at == std::string::npos) return names;
  std::istringstream lines(help.substr(at));
  std::regex entry("^  ([a-z][a-z0-9-]*)\\s");
  std::smatch match;
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_search(line, match, entry)) names.push_back(match[1]);
  }
  return names;
}

void check_help(const std::vector<std::string>& path, const std::filesystem::path& cwd,
                int& checked) {
  std::vector<std::string> args = path;
  args.push_back("--help");
  auto result = test::run_omk(args, cwd);
  std::string name = "omk";
  for (const auto& p : path) name += " " + p;
  ASSERT_EQ(result.exit_code, 0) << name << " --help: " << result.err;
  EXPECT_NE(result.out.find("Usage:"), std::string::npos) << name;
  EXPECT_TRUE(result.err.empty()) << name << ": " << result.err;
  ++checked;
  for (const auto& sub : subcommands_in(result.out)) {
    auto next = path;
    next.push_back(sub);
    check_help(next, cwd, checked);
  }
}

TEST(Help, EveryCommandHasHelp) {
  test::TempDir tmp;
  int checked = 0;
  check_help({}, tmp.path(), checked);
  EXPECT_GE(checked, 4);
}

TEST(Help, UnknownCommandIsAUsageError) {
  test::TempDir tmp;
  auto result = test::run_omk({"frobnicate"}, tmp.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("frobnicate"), std::string::npos);
  EXPECT_NE(result.err.find("--help"), std::string::npos);
}

TEST(Help, BareOmkPrintsHelp) {
  test::TempDir tmp;
  auto result = test::run_omk({}, tmp.path());
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("Subcommands:"), std::string::npos);
}

}  // namespace
}  // namespace omk
