#include "safety/secret_ignore.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "core/atomic_file.h"
#include "core/error.h"

namespace omk::safety {

std::set<std::string> load_omkignore(const std::filesystem::path& file) {
  std::set<std::string> out;
  auto text = read_file_if_exists(file);
  if (!text) return out;
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    size_t last = line.find_last_not_of(" \t\r");
    out.insert(line.substr(first, last - first + 1));
  }
  return out;
}

std::set<std::string> load_baseline(const std::filesystem::path& file) {
  auto text = read_file_if_exists(file);
  if (!text) throw usage_error(fmt::format("baseline {} does not exist", file.string()));
  nlohmann::json document = nlohmann::json::parse(*text, nullptr, false);
  auto bad = [&] {
    return usage_error(fmt::format(
        "baseline {} is not an `omk secrets scan --json` or `--sarif` report, nor a gitleaks "
        "JSON report",
        file.string()));
  };
  if (document.is_discarded()) throw bad();
  std::set<std::string> out;
  if (document.is_object() && document.value("schema", "") == "omk.secrets-scan.v1") {
    for (const auto& finding : document.value("findings", nlohmann::json::array())) {
      if (finding.is_object() && finding.contains("fingerprint") &&
          finding["fingerprint"].is_string()) {
        out.insert(finding["fingerprint"].get<std::string>());
      }
    }
    return out;
  }
  if (document.is_object() && document.contains("runs") && document["runs"].is_array()) {
    for (const auto& run : document["runs"]) {
      if (!run.is_object() || !run.contains("results") || !run["results"].is_array()) continue;
      for (const auto& result : run["results"]) {
        const auto* fingerprints = result.is_object() && result.contains("partialFingerprints")
                                       ? &result["partialFingerprints"]
                                       : nullptr;
        if (fingerprints != nullptr && fingerprints->is_object() &&
            fingerprints->contains("omk/v1") && (*fingerprints)["omk/v1"].is_string()) {
          out.insert((*fingerprints)["omk/v1"].get<std::string>());
        }
      }
    }
    return out;
  }
  if (document.is_array()) {
    for (const auto& finding : document) {
      if (!finding.is_object()) throw bad();
      if (finding.contains("Fingerprint") && finding["Fingerprint"].is_string()) {
        out.insert(finding["Fingerprint"].get<std::string>());
      }
    }
    return out;
  }
  throw bad();
}

}  // namespace omk::safety
