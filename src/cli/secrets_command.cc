#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <tuple>

#include "cli/context.h"
#include "core/build_info.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/log.h"
#include "core/output.h"
#include "safety/rules.h"
#include "safety/secret_detect.h"
#include "safety/secret_ignore.h"
#include "safety/secret_matcher.h"
#include "safety/secret_report.h"
#include "safety/secret_runtime.h"
#include "safety/secret_scanner.h"

namespace omk::cli {
namespace fs = std::filesystem;
namespace {

struct ScanFlags {
  std::vector<std::string> paths;
  bool runtime = false;
  bool json = false;
  bool sarif = false;
  std::string rules;
  std::string baseline;
  int64_t max_file_mib = 0;  // 0: from the config
  unsigned jobs = 0;
};

fs::path absolute_from(const fs::path& cwd, const std::string& path) {
  fs::path p(path);
  return (p.is_absolute() ? p : cwd / p).lexically_normal();
}

int run_secrets_scan(const ScanFlags& flags, const Context& context) {
  if (flags.json && flags.sarif) throw usage_error("--json and --sarif cannot be combined");
  ProjectRoot root = context.project_root();
  Config config = context.config(root);
  fs::path cwd = fs::current_path();

  std::unique_ptr<safety::SecretMatcher> custom;
  if (!flags.rules.empty()) {
    safety::RuleSet rules = safety::load_rule_file(absolute_from(cwd, flags.rules));
    for (const std::string& warning : rules.warnings) log::warn("{}", warning);
    custom = std::make_unique<safety::SecretMatcher>(std::move(rules), flags.rules);
    for (const std::string& note : custom->notes()) log::warn("{}", note);
  }
  const safety::SecretMatcher& matcher = custom ? *custom : safety::builtin_matcher();

  safety::ScanOptions options;
  options.display_root = root.path;
  int64_t mib =
      flags.max_file_mib > 0 ? flags.max_file_mib : config.integer("secrets.max_file_mib");
  options.max_file_bytes = static_cast<uint64_t>(std::min<int64_t>(mib, 1 << 20)) << 20;
  options.jobs = flags.jobs;
  // Worktrees are copies of the repository: scanning them repeats every finding.
  options.skip_directories = {".omk/worktrees"};
  options.ignored_fingerprints = safety::load_omkignore(root.path / ".omkignore");
  if (!flags.baseline.empty()) {
    auto baseline = safety::load_baseline(absolute_from(cwd, flags.baseline));
    options.ignored_fingerprints.insert(baseline.begin(), baseline.end());
  }
  for (const std::string& path : flags.paths) options.paths.push_back(absolute_from(cwd, path));
  if (options.paths.empty()) options.paths.push_back(cwd);
  if (flags.runtime) {
    for (const fs::path& path : safety::runtime_scan_paths(root.path)) {
      options.paths.push_back(path);
    }
  }

  safety::ScanResult result = safety::scan_paths(matcher, options);
  if (flags.runtime) {
    auto literal = safety::mcp_literal_secret_findings(root.path, options.ignored_fingerprints,
                                                       result.stats, result.warnings);
    for (safety::SecretFinding& finding : literal) {
      // The same value found by a specific rule on the same line already says it all.
      bool known = std::any_of(result.findings.begin(), result.findings.end(),
                               [&](const safety::SecretFinding& f) {
                                 return f.path == finding.path && f.line == finding.line;
                               });
      if (!known) result.findings.push_back(std::move(finding));
    }
    std::sort(result.findings.begin(), result.findings.end(),
              [](const safety::SecretFinding& a, const safety::SecretFinding& b) {
                return std::tie(a.path, a.line, a.column, a.rule) <
                       std::tie(b.path, b.line, b.column, b.rule);
              });
  }

  if (flags.json) {
    print_json(safety::secrets_scan_json(result, matcher));
  } else if (flags.sarif) {
    print_json(safety::secrets_scan_sarif(result, matcher, build_info().version));
  } else {
    print_out(safety::secrets_scan_text(result));
    for (const std::string& warning : result.warnings) log::warn("{}", warning);
  }
  return result.findings.empty() ? 0 : to_int(ExitCode::kFailed);
}

}  // namespace

void register_secrets_command(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand("secrets", "Find secrets in files");
  group->require_subcommand(1);
  auto flags = std::make_shared<ScanFlags>();
  auto* scan = group->add_subcommand(
      "scan",
      "Scan files for credentials (exit 0 clean, 1 findings, 2 usage). Output never shows a "
      "secret: findings carry redacted excerpts");
  scan->add_option("paths", flags->paths, "Files or directories (default: the current directory)")
      ->type_name("PATH");
  scan->add_flag("--runtime", flags->runtime,
                 "Also scan the project's trust-boundary files (.omk/, .kimi/, .codex/, "
                 ".claude/, .mcp.json, ignored by git or not) and report MCP env/header values "
                 "that are literal secrets instead of ${VAR} references");
  scan->add_flag("--json", flags->json, "Print one omk.secrets-scan.v1 JSON document");
  scan->add_flag("--sarif", flags->sarif, "Print a SARIF 2.1.0 log");
  scan->add_option("--rules", flags->rules,
                   "Use this gitleaks-format rule file instead of the built-in rules "
                   "([extend] useDefault = true adds to them)")
      ->type_name("FILE");
  scan->add_option("--baseline", flags->baseline,
                   "Suppress findings listed in an earlier --json/--sarif report (or a gitleaks "
                   "JSON report)")
      ->type_name("FILE");
  scan->add_option("--max-file-mib", flags->max_file_mib,
                   "Skip (and count) files larger than this (default: secrets.max_file_mib)")
      ->type_name("N")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  scan->add_option("--jobs", flags->jobs, "Worker threads (default: one per CPU)")
      ->type_name("N")
      ->check(CLI::Range(1u, 256u));
  scan->callback([&context, flags] {
    context.action = [&context, flags] { return run_secrets_scan(*flags, context); };
  });
}

}  // namespace omk::cli
