// The standalone shell/guard fuzz build links only the guard engine (standard C++), not the
// secret rules (vectorscan, RE2, the core layer). The guard's content check calls
// detect_secret; here it finds nothing, so the fuzzer explores the parser and the guard's
// command and path logic. The secret rules have their own fuzz targets (safety_scan_fuzz,
// safety_rules_fuzz).
#include "safety/secret_detect.h"

namespace omk::safety {

std::optional<SecretDetection> detect_secret(std::string_view /*value*/) {
  return std::nullopt;
}

}  // namespace omk::safety
