#pragma once

#include <filesystem>
#include <set>
#include <string>

namespace omk::safety {

// Fingerprints of known findings to suppress ("<path>:<rule>:<line>", the same form as
// gitleaks' .gitleaksignore entries for directory scans).

// One fingerprint per line; blank lines and lines starting with '#' are ignored. An absent file
// gives the empty set.
std::set<std::string> load_omkignore(const std::filesystem::path& file);

// A previous report: an omk.secrets-scan.v1 document, omk's SARIF output, or a gitleaks JSON
// report (its "Fingerprint" fields). Throws UserError (exit 2) naming the file when it is
// missing or none of these.
std::set<std::string> load_baseline(const std::filesystem::path& file);

}  // namespace omk::safety
