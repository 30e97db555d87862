#include "dag/gates.h"

#include <fmt/format.h>

#include "core/atomic_file.h"
#include "core/clock.h"
#include "dag/duration.h"
#include "dag/lane_changes.h"
#include "dag/path_glob.h"
#include "dag/secret_scan.h"
#include "dag/test_reports.h"
#include "runs/private_files.h"

namespace omk::dag {
namespace fs = std::filesystem;
namespace {

constexpr size_t kListedItems = 20;

std::string joined(const std::vector<std::string>& items, size_t limit = kListedItems) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < limit; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > limit) out += fmt::format(" and {} more", items.size() - limit);
  return out;
}

std::string artifact_name(const GateEnv& env, int index, const std::string& what) {
  return fmt::format("lanes/{}/gates/{}-{}-{}", env.node->id, env.attempt, index, what);
}

fs::path artifact_path(const GateEnv& env, const std::string& relative) {
  fs::path path = env.run_dir / relative;
  runs::ensure_private_dir(path.parent_path());
  return path;
}

std::string command_outcome(const LaneCommandResult& result, int64_t timeout_ms) {
  if (!result.start_error.empty()) return "could not start: " + result.start_error;
  if (result.timed_out) return "timed out after " + format_duration_ms(timeout_ms);
  if (result.cancelled) return "cancelled";
  return fmt::format("exit {}", result.exit_code);
}

void check_command(const GateSpec& gate, int index, const GateEnv& env, runs::GateRecord& record) {
  std::string log = artifact_name(env, index, "command.log");
  LaneCommandResult result = env.run_command(gate.command, artifact_path(env, log));
  record.artifacts.push_back(log);
  record.passed = result.exit_code == 0 && result.start_error.empty();
  record.reason = gate.command.brief() + ": " + command_outcome(result, env.node->timeout_ms);
  record.details = {{"command", gate.command.text}, {"exit_code", result.exit_code}};
}

void check_tests(const GateSpec& gate, int index, const GateEnv& env, runs::GateRecord& record) {
  std::string log = artifact_name(env, index, "tests.log");
  LaneCommandResult result = env.run_command(gate.command, artifact_path(env, log));
  record.artifacts.push_back(log);
  const bool junit = !gate.junit.empty();
  const std::string& report_path = junit ? gate.junit : gate.tap;
  record.details = {{"command", gate.command.text},
                    {"exit_code", result.exit_code},
                    {"report", report_path},
                    {"format", junit ? "junit" : "tap"}};
  std::string ran = command_outcome(result, env.node->timeout_ms);
  auto file = contained_path(env.workspace, report_path);
  std::optional<std::string> text;
  if (file) text = read_file_if_exists(*file);
  if (!text) {
    record.reason = fmt::format("{}: {}; no report at {}", gate.command.brief(), ran, report_path);
    return;
  }
  // Keep the report: the worktree may be cleaned up, the evidence stays with the run.
  std::string copy = artifact_name(env, index, junit ? "report.xml" : "report.tap");
  runs::write_private_file(artifact_path(env, copy), *text);
  record.artifacts.push_back(copy);
  TestReport report = junit ? parse_junit(*text) : parse_tap(*text);
  record.details["passed"] = report.passed;
  record.details["failed"] = report.failed;
  record.details["skipped"] = report.skipped;
  record.details["failures"] = report.failures;
  if (!report.error.empty()) {
    record.reason = fmt::format("{}: {}; {} is not a readable {} report: {}", gate.command.brief(),
                                ran, report_path, junit ? "JUnit XML" : "TAP", report.error);
    return;
  }
  std::string counts =
      fmt::format("{} passed, {} failed, {} skipped", report.passed, report.failed, report.skipped);
  record.passed = result.exit_code == 0 && report.failed == 0 && report.passed > 0;
  if (record.passed) {
    record.reason = counts;
  } else if (report.passed == 0 && report.failed == 0) {
    record.reason = fmt::format("{}: {}; the report holds no passing test ({})",
                                gate.command.brief(), ran, counts);
  } else {
    record.reason =
        fmt::format("{}: {}; {}{}", gate.command.text, ran, counts,
                    report.failures.empty() ? "" : " (" + joined(report.failures) + ")");
  }
}

void check_file_exists(const GateSpec& gate, const GateEnv& env, runs::GateRecord& record) {
  std::vector<std::string> missing, escaping;
  for (const auto& path : gate.paths) {
    auto resolved = contained_path(env.workspace, path);
    std::error_code ec;
    if (!resolved) {
      escaping.push_back(path);
    } else if (!fs::exists(*resolved, ec)) {
      missing.push_back(path);
    }
  }
  record.details = {{"paths", gate.paths}, {"missing", missing}, {"outside", escaping}};
  record.passed = missing.empty() && escaping.empty();
  if (record.passed) {
    record.reason = "present: " + joined(gate.paths);
  } else if (!escaping.empty()) {
    record.reason = "resolves outside the lane's workspace: " + joined(escaping);
  } else {
    record.reason = "missing: " + joined(missing);
  }
}

void check_diff(const GateSpec& gate, const GateEnv& env, runs::GateRecord& record) {
  if (!env.git) {
    record.reason = "the project is not a git repository, so there is no diff to check";
    return;
  }
  LaneChanges changes =
      collect_changes(*env.git, env.workspace, env.diff_base, env.diff_head, false);
  if (!changes.error.empty()) {
    record.reason = changes.error;
    return;
  }
  std::vector<std::string> outside;
  if (!gate.allow.empty()) {
    for (const auto& file : changes.files) {
      bool allowed = false;
      for (const auto& glob : gate.allow) allowed = allowed || glob_matches(glob, file);
      if (!allowed) outside.push_back(file);
    }
  }
  record.details = {
      {"files", changes.files.size()},
      {"allow", gate.allow},
      {"outside_allow", std::vector<std::string>(
                            outside.begin(), outside.begin() + static_cast<long>(std::min(
                                                                   outside.size(), size_t{50})))}};
  if (changes.files.empty()) {
    record.reason = "the lane changed nothing";
  } else if (!outside.empty()) {
    record.reason = "changes files outside " + joined(gate.allow) + ": " + joined(outside);
  } else {
    record.passed = true;
    record.reason = fmt::format("{} file{} changed{}", changes.files.size(),
                                changes.files.size() == 1 ? "" : "s",
                                gate.allow.empty() ? "" : ", all within " + joined(gate.allow));
  }
}

void check_secrets(const GateEnv& env, runs::GateRecord& record) {
  if (!env.git) {
    record.reason = "the project is not a git repository, so there is no diff to scan";
    return;
  }
  LaneChanges changes =
      collect_changes(*env.git, env.workspace, env.diff_base, env.diff_head, true);
  if (!changes.error.empty()) {
    record.reason = changes.error;
    return;
  }
  SecretScan scan = scan_texts_for_secrets(changes.added);
  if (scan.unavailable) {
    record.reason = *scan.unavailable;
    return;
  }
  Json findings = Json::array();
  std::vector<std::string> where;
  for (const auto& finding : scan.findings) {
    findings.push_back({{"path", finding.path}, {"line", finding.line}, {"rule", finding.rule}});
    where.push_back(fmt::format("{}:{} ({})", finding.path, finding.line, finding.rule));
  }
  record.details = {{"files_scanned", changes.added.size()}, {"findings", findings}};
  record.passed = scan.findings.empty();
  record.reason = record.passed
                      ? fmt::format("no secret in the lines the lane added ({} file{})",
                                    changes.added.size(), changes.added.size() == 1 ? "" : "s")
                      : fmt::format("{} secret{} in the change: {}", scan.findings.size(),
                                    scan.findings.size() == 1 ? "" : "s", joined(where));
}

void check_review(const GateSpec& gate, const GateEnv& env, runs::GateRecord& record) {
  auto reviewer = env.lookup ? env.lookup(gate.review_by) : std::nullopt;
  record.details = {{"by", gate.review_by}};
  if (!reviewer) {
    record.reason = "no record of reviewer " + gate.review_by;
    return;
  }
  record.details["state"] = std::string(runs::to_string(reviewer->state));
  record.details["verdict"] = reviewer->verdict;
  if (reviewer->state != runs::NodeState::kDone) {
    record.reason =
        fmt::format("reviewer {} is {}{}", gate.review_by, runs::to_string(reviewer->state),
                    reviewer->reason.empty() ? "" : ": " + reviewer->reason);
    return;
  }
  record.passed = reviewer->verdict == "approve";
  record.reason = record.passed
                      ? gate.review_by + " approved"
                      : fmt::format("{} did not approve (verdict: {})", gate.review_by,
                                    reviewer->verdict.empty() ? "none" : reviewer->verdict);
}

}  // namespace

std::optional<fs::path> contained_path(const fs::path& root, const std::string& relative) {
  fs::path candidate(relative);
  if (candidate.is_absolute()) return std::nullopt;
  for (const auto& part : candidate) {
    if (part == "..") return std::nullopt;
  }
  std::error_code ec;
  fs::path real_root = fs::weakly_canonical(root, ec);
  fs::path real = fs::weakly_canonical(root / candidate, ec);
  if (ec) return std::nullopt;
  auto [root_end, ignored] =
      std::mismatch(real_root.begin(), real_root.end(), real.begin(), real.end());
  if (root_end != real_root.end()) return std::nullopt;  // a symlink led out of the workspace
  return root / candidate;
}

runs::GateRecord check_gate(const GateSpec& gate, int index, const GateEnv& env) {
  runs::GateRecord record;
  record.index = index;
  record.gate = std::string(to_string(gate.kind));
  int64_t started = monotonic_ms();
  try {
    switch (gate.kind) {
      case GateKind::kCommand:
        check_command(gate, index, env, record);
        break;
      case GateKind::kTests:
        check_tests(gate, index, env, record);
        break;
      case GateKind::kFileExists:
        check_file_exists(gate, env, record);
        break;
      case GateKind::kDiff:
        check_diff(gate, env, record);
        break;
      case GateKind::kSecretsClean:
        check_secrets(env, record);
        break;
      case GateKind::kReview:
        check_review(gate, env, record);
        break;
    }
  } catch (const std::exception& error) {
    record.passed = false;
    record.reason = std::string("the gate could not be checked: ") + error.what();
  }
  record.duration_ms = monotonic_ms() - started;
  return record;
}

}  // namespace omk::dag
