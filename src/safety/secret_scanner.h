#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "safety/secret_matcher.h"

namespace omk::safety {

// One secret found in a file. Never holds the secret: `excerpt` is the line with every secret
// on it replaced by "[REDACTED:<rule>]".
struct SecretFinding {
  std::string path;   // relative to the scan's display root when under it, '/'-separated
  size_t line = 0;    // 1-based; 0 for a finding about the whole file (a path rule)
  size_t column = 0;  // 1-based, in Unicode code points
  size_t end_line = 0;
  size_t end_column = 0;  // 1-based, exclusive
  std::string rule;
  std::string description;
  std::string fingerprint;  // "<path>:<rule>:<line>", what .omkignore and --baseline list
  std::string excerpt;
};

struct ScanStats {
  uint64_t files_scanned = 0;
  uint64_t bytes_scanned = 0;
  uint64_t skipped_binary = 0;       // a NUL byte in the first 8 KiB
  uint64_t skipped_oversize = 0;     // larger than the size limit
  uint64_t skipped_git = 0;          // .git directories (not descended into)
  uint64_t skipped_symlink = 0;      // symlinks met while walking (never followed)
  uint64_t skipped_unreadable = 0;   // permission denied, vanished, not a regular file
  uint64_t skipped_allowlisted = 0;  // a global allowlist's paths
  uint64_t suppressed_inline = 0;    // omk:allow / gitleaks:allow on the line
  uint64_t suppressed_ignored = 0;   // fingerprint in .omkignore or the baseline
  double seconds = 0;

  uint64_t skipped_total() const {
    return skipped_binary + skipped_oversize + skipped_git + skipped_symlink + skipped_unreadable +
           skipped_allowlisted;
  }
};

struct ScanOptions {
  std::vector<std::filesystem::path> paths;  // files or directories; given symlinks are followed
  std::filesystem::path display_root;        // findings' paths are relative to this
  uint64_t max_file_bytes = uint64_t{25} << 20;
  unsigned jobs = 0;  // worker threads; 0: one per CPU
  std::set<std::string> ignored_fingerprints;
  // Directories (relative to display_root) not descended into, e.g. ".omk/worktrees".
  std::vector<std::string> skip_directories;
};

struct ScanResult {
  std::vector<SecretFinding> findings;  // sorted by path, line, column
  ScanStats stats;
  std::vector<std::string> warnings;  // paths that do not exist and the like
};

// Scans files in parallel (one worker per CPU, files memory-mapped above 64 KiB). Skips and
// counts binaries, oversize files, .git directories, symlinks met while walking and unreadable
// files. Throws UserError (exit 2) when a given path does not exist.
ScanResult scan_paths(const SecretMatcher& matcher, const ScanOptions& options);

// Findings in one in-memory text, as if it were the file `path`. Inline suppressions and
// ignored fingerprints count into `stats`.
std::vector<SecretFinding> scan_text(const SecretMatcher& matcher, std::string_view text,
                                     const std::string& path,
                                     const std::set<std::string>& ignored_fingerprints,
                                     ScanStats& stats);

// Replaces bytes that are not valid UTF-8 with '?', so paths and excerpts can go into JSON.
std::string to_valid_utf8(std::string_view text);

}  // namespace omk::safety
