#pragma once

#include <string>

#include "core/json_output.h"
#include "safety/secret_matcher.h"
#include "safety/secret_scanner.h"

namespace omk::safety {

// `omk secrets scan` outputs. None of them can contain a secret: findings carry redacted
// excerpts only, and the documents go through the output filter like everything else.

// The omk.secrets-scan.v1 document (schemas/omk.secrets-scan.v1.json).
Json secrets_scan_json(const ScanResult& result, const SecretMatcher& matcher);

// A SARIF 2.1.0 log with one run; fingerprints go in partialFingerprints["omk/v1"].
Json secrets_scan_sarif(const ScanResult& result, const SecretMatcher& matcher,
                        const std::string& version);

// One line per finding, then a summary line.
std::string secrets_scan_text(const ScanResult& result);

}  // namespace omk::safety
