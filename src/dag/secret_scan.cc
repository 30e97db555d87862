#include "dag/secret_scan.h"

namespace omk::dag {
namespace {

// The safety layer's scanner (issue 3) has not been merged into this branch yet: say so rather
// than pretend a scan happened. Replaced by calls to safety's scanner when it lands.
constexpr const char* kUnavailable =
    "the secret scanner is not available in this build (safety layer, issue 3, not merged yet)";

}  // namespace

SecretScan scan_texts_for_secrets(const std::vector<std::pair<std::string, std::string>>&) {
  SecretScan scan;
  scan.unavailable = kUnavailable;
  return scan;
}

SecretScan scan_tree_for_secrets(const std::filesystem::path&) {
  SecretScan scan;
  scan.unavailable = kUnavailable;
  return scan;
}

}  // namespace omk::dag
