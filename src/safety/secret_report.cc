#include "safety/secret_report.h"

#include <fmt/format.h>

#include <map>

namespace omk::safety {
namespace {

Json stats_json(const ScanStats& stats, size_t rules) {
  Json skipped = Json::object();
  skipped["total"] = stats.skipped_total();
  skipped["binary"] = stats.skipped_binary;
  skipped["oversize"] = stats.skipped_oversize;
  skipped["git"] = stats.skipped_git;
  skipped["symlink"] = stats.skipped_symlink;
  skipped["unreadable"] = stats.skipped_unreadable;
  skipped["allowlisted"] = stats.skipped_allowlisted;
  Json suppressed = Json::object();
  suppressed["inline"] = stats.suppressed_inline;
  suppressed["ignored"] = stats.suppressed_ignored;
  Json out = Json::object();
  out["files_scanned"] = stats.files_scanned;
  out["bytes_scanned"] = stats.bytes_scanned;
  out["skipped"] = skipped;
  out["suppressed"] = suppressed;
  out["rules"] = rules;
  out["seconds"] = stats.seconds;
  return out;
}

}  // namespace

Json secrets_scan_json(const ScanResult& result, const SecretMatcher& matcher) {
  Json document = json_envelope("secrets-scan");
  Json findings = Json::array();
  for (const SecretFinding& finding : result.findings) {
    Json entry = Json::object();
    entry["path"] = finding.path;
    entry["line"] = finding.line;
    entry["column"] = finding.column;
    entry["end_line"] = finding.end_line;
    entry["end_column"] = finding.end_column;
    entry["rule"] = finding.rule;
    entry["description"] = finding.description;
    entry["fingerprint"] = finding.fingerprint;
    entry["excerpt"] = finding.excerpt;
    findings.push_back(entry);
  }
  document["findings"] = findings;
  document["stats"] = stats_json(result.stats, matcher.rules().rules.size());
  document["warnings"] = result.warnings;
  return document;
}

Json secrets_scan_sarif(const ScanResult& result, const SecretMatcher& matcher,
                        const std::string& version) {
  const RuleSet& rules = matcher.rules();
  std::map<std::string, size_t> rule_index;
  Json sarif_rules = Json::array();
  auto add_rule = [&](const std::string& id, const std::string& description) {
    if (rule_index.count(id) != 0) return;
    rule_index[id] = sarif_rules.size();
    Json rule = Json::object();
    rule["id"] = id;
    rule["shortDescription"] = {{"text", description.empty() ? id : description}};
    sarif_rules.push_back(rule);
  };
  for (const SecretRule& rule : rules.rules) add_rule(rule.id, rule.description);
  Json results = Json::array();
  for (const SecretFinding& finding : result.findings) {
    add_rule(finding.rule, finding.description);
    Json location = Json::object();
    Json physical = Json::object();
    physical["artifactLocation"] = {{"uri", finding.path}};
    if (finding.line > 0) {
      Json region = Json::object();
      region["startLine"] = finding.line;
      region["startColumn"] = finding.column;
      region["endLine"] = finding.end_line;
      region["endColumn"] = finding.end_column;
      region["snippet"] = {{"text", finding.excerpt}};
      physical["region"] = region;
    }
    location["physicalLocation"] = physical;
    Json entry = Json::object();
    entry["ruleId"] = finding.rule;
    entry["ruleIndex"] = rule_index[finding.rule];
    entry["level"] = "error";
    entry["message"] = {{"text", fmt::format("{} ({})", finding.description, finding.rule)}};
    entry["locations"] = Json::array({location});
    entry["partialFingerprints"] = {{"omk/v1", finding.fingerprint}};
    results.push_back(entry);
  }
  Json driver = Json::object();
  driver["name"] = "omk";
  driver["version"] = version;
  driver["rules"] = sarif_rules;
  Json run = Json::object();
  run["tool"] = {{"driver", driver}};
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = results;
  Json log = Json::object();
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = Json::array({run});
  return log;
}

std::string secrets_scan_text(const ScanResult& result) {
  std::string out;
  for (const SecretFinding& f : result.findings) {
    if (f.line == 0) {
      out += fmt::format("{}  {}  {}\n", f.path, f.rule, f.excerpt);
    } else {
      out += fmt::format("{}:{}:{}  {}  {}\n", f.path, f.line, f.column, f.rule, f.excerpt);
    }
  }
  const ScanStats& s = result.stats;
  std::string skipped;
  auto add = [&](uint64_t count, const char* what) {
    if (count == 0) return;
    skipped += fmt::format("{}{} {}", skipped.empty() ? "" : ", ", count, what);
  };
  add(s.skipped_binary, "binary");
  add(s.skipped_oversize, "oversize");
  add(s.skipped_git, ".git");
  add(s.skipped_symlink, "symlink");
  add(s.skipped_unreadable, "unreadable");
  add(s.skipped_allowlisted, "allowlisted");
  std::string suppressed;
  if (s.suppressed_inline + s.suppressed_ignored > 0) {
    suppressed = fmt::format("; suppressed {} inline, {} by fingerprint", s.suppressed_inline,
                             s.suppressed_ignored);
  }
  out += fmt::format("{} finding(s) in {} file(s) scanned ({:.1f} MB, {:.2f} s); skipped: {}{}\n",
                     result.findings.size(), s.files_scanned,
                     static_cast<double>(s.bytes_scanned) / 1e6, s.seconds,
                     skipped.empty() ? "none" : skipped, suppressed);
  return out;
}

}  // namespace omk::safety
