#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace omk::dag {

// What a test report says: the `tests` gate passes when the command exited 0, failed == 0 and
// passed > 0 (a report with no tests proves nothing).
struct TestReport {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  std::vector<std::string> failures;  // names of the first failed tests
  std::string error;                  // set when the report could not be read as its format
};

// JUnit XML (<testsuites>/<testsuite>/<testcase> with <failure>, <error> or <skipped> children),
// as written by ctest --output-junit, pytest --junitxml, gtest, jest-junit, go-junit-report.
TestReport parse_junit(std::string_view xml);

// TAP 12/13: "1..N", "ok N", "not ok N", "# SKIP" / "# TODO" directives, "Bail out!". A plan
// that does not match the results counts as a failure.
TestReport parse_tap(std::string_view text);

}  // namespace omk::dag
