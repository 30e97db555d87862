#include "dag/secret_scan.h"

#include "safety/secret_detect.h"
#include "safety/secret_ignore.h"
#include "safety/secret_scanner.h"

namespace omk::dag {

SecretScan scan_texts_for_secrets(const std::vector<std::pair<std::string, std::string>>& texts) {
  SecretScan scan;
  const safety::SecretMatcher& matcher = safety::builtin_matcher();
  safety::ScanStats stats;
  for (const auto& [path, text] : texts) {
    ++scan.files;
    for (const auto& finding : safety::scan_text(matcher, text, path, {}, stats)) {
      // Lines of added text, not of the file: the path and rule say where to look.
      scan.findings.push_back({finding.path, static_cast<int>(finding.line), finding.rule});
    }
  }
  return scan;
}

SecretScan scan_tree_for_secrets(const std::filesystem::path& root) {
  SecretScan scan;
  safety::ScanOptions options;
  options.paths = {root};
  options.display_root = root;
  options.skip_directories = {".omk"};
  options.ignored_fingerprints = safety::load_omkignore(root / ".omkignore");
  safety::ScanResult result = safety::scan_paths(safety::builtin_matcher(), options);
  scan.files = static_cast<int>(result.stats.files_scanned);
  for (const auto& finding : result.findings) {
    scan.findings.push_back({finding.path, static_cast<int>(finding.line), finding.rule});
  }
  return scan;
}

}  // namespace omk::dag
