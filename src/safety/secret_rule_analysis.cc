#include "safety/secret_rule_analysis.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace omk::safety {
namespace {

// Bumped when what is stored, or what a hit promises, changes.
constexpr const char* kFormat = "omk-rule-analysis-1";

std::filesystem::path analysis_file(const RuleSet& rules) {
  std::filesystem::path dir = omk_cache_directory();
  if (dir.empty()) return {};
  uint64_t hash = fnv1a(fnv1a(kFnvOffset, kFormat), hs_version());
  auto add = [&hash](const std::string& text) {
    hash = fnv1a(hash, fmt::format("|{}|", text.size()));
    hash = fnv1a(hash, text);
  };
  auto add_allowlist = [&add](const RuleAllowlist& list) {
    add("allowlist");
    for (const std::string& pattern : list.regexes) add(pattern);
    add("paths");
    for (const std::string& pattern : list.paths) add(pattern);
  };
  for (const SecretRule& rule : rules.rules) {
    add("rule");
    add(rule.regex);
    add(rule.path);
    add(std::to_string(rule.secret_group));
    for (const RuleAllowlist& list : rule.allowlists) add_allowlist(list);
  }
  add("global");
  for (const RuleAllowlist& list : rules.allowlists) add_allowlist(list);
  return dir / fmt::format("vectorscan-analysis-{:016x}.json", hash);
}

nlohmann::json info_json(const VectorscanExpressionInfo& info) {
  return {info.ok, info.error, info.min_width, info.max_width};
}

VectorscanExpressionInfo info_from(const nlohmann::json& json) {
  VectorscanExpressionInfo info;
  info.ok = json.at(0).get<bool>();
  info.error = json.at(1).get<std::string>();
  info.min_width = json.at(2).get<unsigned>();
  info.max_width = json.at(3).get<unsigned>();
  return info;
}

}  // namespace

std::optional<std::vector<RuleAnalysis>> cached_rule_analysis(const RuleSet& rules) {
  std::filesystem::path file = analysis_file(rules);
  if (file.empty()) return std::nullopt;
  std::optional<std::string> data = read_cache_file(file);
  if (!data) return std::nullopt;
  auto json = nlohmann::json::parse(*data, nullptr, false);
  if (!json.is_array() || json.size() != rules.rules.size()) return std::nullopt;
  std::vector<RuleAnalysis> analyses;
  analyses.reserve(json.size());
  try {
    for (const auto& entry : json) {
      RuleAnalysis analysis;
      analysis.groups = entry.at(0).get<int>();
      analysis.exact = info_from(entry.at(1));
      analysis.prefilter = info_from(entry.at(2));
      analyses.push_back(std::move(analysis));
    }
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // a damaged file: compile afresh
  }
  return analyses;
}

void save_rule_analysis(const RuleSet& rules, const std::vector<RuleAnalysis>& analyses) {
  std::filesystem::path file = analysis_file(rules);
  if (file.empty()) return;
  nlohmann::json json = nlohmann::json::array();
  for (const RuleAnalysis& analysis : analyses) {
    json.push_back({analysis.groups, info_json(analysis.exact), info_json(analysis.prefilter)});
  }
  write_cache_file(file, json.dump());
}

}  // namespace omk::safety
