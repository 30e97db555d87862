// The `tests` gate's report readers (JUnit XML, TAP) over arbitrary text; the first byte picks
// the format. Properties: no crash, throw or hang; counts are never negative; the failed tests
// named are at most the failed count and never more than the first 20.
#include <cstdlib>
#include <string_view>

#include "dag/test_reports.h"
#include "fuzz_target.h"

int omk_fuzz_one(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  omk::dag::TestReport report =
      (data[0] & 1) != 0 ? omk::dag::parse_tap(text) : omk::dag::parse_junit(text);
  if (report.passed < 0 || report.failed < 0 || report.skipped < 0) std::abort();
  if (report.failures.size() > static_cast<size_t>(report.failed) || report.failures.size() > 20) {
    std::abort();
  }
  return 0;
}
