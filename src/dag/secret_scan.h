#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omk::dag {

// A secret found in a lane's change or workspace: where, and which rule — never the value.
struct SecretFinding {
  std::string path;
  int line = 0;
  std::string rule;
};

struct SecretScan {
  std::vector<SecretFinding> findings;
  int files = 0;
  std::optional<std::string> unavailable;  // why no scan could be made
};

// The safety layer's secret scanner over text (a lane's added lines) or a directory tree
// (the secrets-scan builtin; .git and .omk are skipped).
SecretScan scan_texts_for_secrets(const std::vector<std::pair<std::string, std::string>>& texts);
SecretScan scan_tree_for_secrets(const std::filesystem::path& root);

}  // namespace omk::dag
