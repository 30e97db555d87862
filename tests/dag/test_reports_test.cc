#include <gtest/gtest.h>

#include "dag/path_glob.h"
#include "dag/test_reports.h"

namespace omk::dag {
namespace {

TEST(JUnit, CountsPassedFailedAndSkippedCases) {
  auto report = parse_junit(R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- generated -->
<testsuites>
  <testsuite name="math" tests="4">
    <testcase name="adds" classname="m"/>
    <testcase name="subtracts" classname="m"><system-out><![CDATA[<not a tag>]]></system-out></testcase>
    <testcase name="divides" classname="m"><failure message="1/0">boom</failure></testcase>
    <testcase name="later" classname="m"><skipped/></testcase>
    <testcase name='errs'><error type="x"/></testcase>
  </testsuite>
</testsuites>)");
  EXPECT_EQ(report.error, "");
  EXPECT_EQ(report.passed, 2);
  EXPECT_EQ(report.failed, 2);
  EXPECT_EQ(report.skipped, 1);
  EXPECT_EQ(report.failures, (std::vector<std::string>{"divides", "errs"}));
}

TEST(JUnit, ReadsCtestOutput) {
  auto report = parse_junit(R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="host" tests="2" failures="0" disabled="0" skipped="0" hostname="" time="0" timestamp="2026-01-01T00:00:00">
	<testcase name="unit" classname="unit" time="0.01" status="run">
		<system-out>ok</system-out>
	</testcase>
	<testcase name="smoke" classname="smoke" time="0.01" status="run">
		<system-out>ok</system-out>
	</testcase>
</testsuite>
)");
  EXPECT_EQ(report.error, "");
  EXPECT_EQ(report.passed, 2);
  EXPECT_EQ(report.failed, 0);
}

TEST(JUnit, RefusesWhatItCannotRead) {
  EXPECT_NE(parse_junit("").error, "");
  EXPECT_NE(parse_junit("<html><body/></html>").error, "");
  EXPECT_NE(parse_junit("<testsuite><testcase name='a'>").error, "") << "truncated";
  EXPECT_NE(parse_junit("<testsuite><testcase></testsuite>").error, "") << "mismatched";
  EXPECT_NE(parse_junit("<testsuite><testcase name=a/></testsuite>").error, "") << "unquoted";
  EXPECT_NE(parse_junit("<testsuite/><testsuite/>").error, "");
  EXPECT_NE(parse_junit("<testsuite><!-- never closed").error, "");
  auto empty = parse_junit("<testsuite name='none'></testsuite>");
  EXPECT_EQ(empty.error, "");
  EXPECT_EQ(empty.passed, 0) << "a report with no tests parses, and the gate refuses it";
}

TEST(Tap, CountsResultsAndDirectives) {
  auto report = parse_tap(R"(TAP version 13
1..5
ok 1 - adds
not ok 2 - divides
  ---
  message: boom
  ...
ok 3 - later # SKIP not today
not ok 4 - someday # TODO
some other output
ok 5
)");
  EXPECT_EQ(report.error, "");
  EXPECT_EQ(report.passed, 2);
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(report.skipped, 2);
  EXPECT_EQ(report.failures, (std::vector<std::string>{"2 - divides"}));
}

TEST(Tap, PlanMustMatchAndBailOutFails) {
  EXPECT_NE(parse_tap("1..3\nok 1\nok 2\n").error, "");
  EXPECT_NE(parse_tap("ok 1\n").error, "") << "no plan";
  EXPECT_NE(parse_tap("1..2\nok 1\nBail out! database gone\n").error, "");
  EXPECT_EQ(parse_tap("ok 1\nok 2\n1..2\n").error, "") << "the plan may come last";
}

TEST(Glob, MatchesLikeGitignore) {
  EXPECT_TRUE(glob_matches("src/**", "src/a.c"));
  EXPECT_TRUE(glob_matches("src/**", "src/deep/er/a.c"));
  EXPECT_FALSE(glob_matches("src/**", "srcx/a.c"));
  EXPECT_FALSE(glob_matches("src/**", "tests/src/a.c"));
  EXPECT_TRUE(glob_matches("*.md", "README.md"));
  EXPECT_TRUE(glob_matches("*.md", "docs/guide/a.md"));
  EXPECT_FALSE(glob_matches("/*.md", "docs/a.md")) << "a leading / anchors to the root";
  EXPECT_TRUE(glob_matches("docs/*.md", "docs/a.md"));
  EXPECT_FALSE(glob_matches("docs/*.md", "docs/x/a.md"));
  EXPECT_TRUE(glob_matches("**/test_*.c", "a/b/test_x.c"));
  EXPECT_TRUE(glob_matches("src/**/*.h", "src/x.h"));
  EXPECT_TRUE(glob_matches("main.[ch]", "main.h"));
  EXPECT_TRUE(glob_matches("build/", "build/out/x.o"));
  EXPECT_FALSE(glob_matches("", "x"));
}

}  // namespace
}  // namespace omk::dag
