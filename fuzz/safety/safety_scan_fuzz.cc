// The scanner over arbitrary text: findings point inside the text and their excerpts are valid
// UTF-8 with every secret of the line replaced.
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_target.h"
#include "safety/secret_detect.h"
#include "safety/secret_scanner.h"

int omk_fuzz_one(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  omk::safety::ScanStats stats;
  auto findings =
      omk::safety::scan_text(omk::safety::builtin_matcher(), text, "fuzz.txt", {}, stats);
  for (const auto& finding : findings) {
    if (finding.line == 0 || finding.column == 0) std::abort();
    if (omk::safety::to_valid_utf8(finding.excerpt) != finding.excerpt) std::abort();
    if (finding.excerpt.find("[REDACTED:") == std::string::npos) std::abort();
  }
  for (const auto& match : omk::safety::builtin_matcher().find(text)) {
    if (match.end > text.size() || match.secret_start < match.start ||
        match.secret_end > match.end) {
      std::abort();
    }
  }
  return 0;
}
