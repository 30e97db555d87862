#include "dag/builtins.h"

#include <fmt/format.h>

#include <fstream>

#include "dag/lane_changes.h"
#include "dag/secret_scan.h"
#include "safety/guard.h"
#include "safety/guard_setup.h"

namespace omk::dag {
namespace fs = std::filesystem;
namespace {

BuiltinResult secrets_scan(const BuiltinEnv& env) {
  BuiltinResult result;
  SecretScan scan = scan_tree_for_secrets(env.workspace);
  if (scan.unavailable) {
    result.reason = *scan.unavailable;
    return result;
  }
  Json findings = Json::array();
  for (const auto& finding : scan.findings) {
    findings.push_back({{"path", finding.path}, {"line", finding.line}, {"rule", finding.rule}});
  }
  result.report = {{"files_scanned", scan.files}, {"findings", findings}};
  result.passed = scan.findings.empty();
  result.reason = result.passed
                      ? fmt::format("no secrets in {} files", scan.files)
                      : fmt::format("{} secret{} found (see report.json; values are never shown)",
                                    scan.findings.size(), scan.findings.size() == 1 ? "" : "s");
  return result;
}

bool is_shell_script(const fs::path& path, const std::string& content) {
  auto ext = path.extension();
  if (ext == ".sh" || ext == ".bash") return true;
  return content.rfind("#!/bin/sh", 0) == 0 || content.rfind("#!/bin/bash", 0) == 0 ||
         content.rfind("#!/usr/bin/env bash", 0) == 0 || content.rfind("#!/usr/bin/env sh", 0) == 0;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

BuiltinResult guard_check(const BuiltinEnv& env) {
  BuiltinResult result;
  if (!env.git) {
    result.reason = "the project is not a git repository, so there is no change to check";
    return result;
  }
  LaneChanges changes =
      collect_changes(*env.git, env.workspace, env.diff_base, env.diff_head, true);
  if (!changes.error.empty()) {
    result.reason = changes.error;
    return result;
  }
  std::map<std::string, std::string> added(changes.added.begin(), changes.added.end());
  guard::GuardContext context;
  context.workspace = env.project_root.string();
  context.cwd = env.project_root.string();
  context.home = env.home;
  // Written content is judged by the built-in secret rules too (the guard engine alone judges
  // only paths and commands).
  guard::install_builtin_content_scanner();
  guard::Guard checker(context);
  Json verdicts = Json::array();
  int denied = 0, asked = 0;
  auto record = [&](const std::string& file, const std::string& what,
                    const guard::Verdict& verdict) {
    if (verdict.decision == guard::Decision::kAllow) return;
    (verdict.decision == guard::Decision::kDeny ? denied : asked)++;
    Json reasons = Json::array();
    for (const auto& reason : verdict.reasons) {
      reasons.push_back({{"rule", reason.rule}, {"message", reason.message}});
    }
    verdicts.push_back({{"path", file},
                        {"check", what},
                        {"decision", std::string(guard::to_string(verdict.decision))},
                        {"reasons", reasons}});
  };
  for (const auto& file : changes.files) {
    fs::path path = env.workspace / file;
    const std::string judged = (env.project_root / file).string();
    std::error_code ec;
    bool present = fs::exists(fs::symlink_status(path, ec));
    if (!present) {
      record(file, "delete", checker.check_file(guard::FileAction::kDelete, judged));
      continue;
    }
    record(file, "write", checker.check_file(guard::FileAction::kWrite, judged, added[file]));
    if (fs::is_regular_file(path, ec) && !fs::is_symlink(path, ec)) {
      std::string content = read_all(path);
      if (is_shell_script(path, content)) {
        record(file, "script", checker.check_command(content));
      }
    }
  }
  result.report = {{"files_checked", changes.files.size()},
                   {"denied", denied},
                   {"asked", asked},
                   {"verdicts", verdicts}};
  result.passed = denied == 0;
  result.reason = fmt::format("{} file{} checked: {} denied, {} would ask", changes.files.size(),
                              changes.files.size() == 1 ? "" : "s", denied, asked);
  return result;
}

}  // namespace

BuiltinResult run_builtin(const NodeSpec& node, const BuiltinEnv& env) {
  if (node.builtin == "secrets-scan") return secrets_scan(env);
  if (node.builtin == "guard-check") return guard_check(env);
  BuiltinResult result;
  result.reason = "unknown builtin '" + node.builtin + "'";
  return result;
}

}  // namespace omk::dag
