#include "safety/guard_setup.h"

#include <fstream>
#include <system_error>

#include "core/error.h"
#include "safety/secret_detect.h"

namespace omk::guard {
namespace fs = std::filesystem;

namespace {

std::string canonical_string(const fs::path& path) {
  std::error_code ec;
  fs::path resolved = fs::weakly_canonical(path, ec);
  return (ec ? path.lexically_normal() : resolved).string();
}

std::optional<std::string> read_small_file(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::string text(4096, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

std::vector<PolicyRule> parse_rules(const Config& config, const std::string& key) {
  std::vector<PolicyRule> rules;
  for (const auto& text : config.strings(key)) {
    std::string error;
    auto rule = parse_policy_rule(text, error);
    if (!rule) {
      throw usage_error(config.file().string() + ": " + key + ": " + error +
                        " (docs/configuration.md, \"Guard rules\")");
    }
    rules.push_back(std::move(*rule));
  }
  return rules;
}

}  // namespace

Policy policy_from_config(const Config& config) {
  Policy policy;
  policy.deny = parse_rules(config, "guard.deny");
  policy.ask = parse_rules(config, "guard.ask");
  policy.allow = parse_rules(config, "guard.allow");
  return policy;
}

namespace {

std::string without_line_end(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::optional<std::string> branch_in_head(const fs::path& gitdir) {
  auto head = read_small_file(gitdir / "HEAD");
  const std::string prefix = "ref: refs/heads/";
  if (!head || head->compare(0, prefix.size(), prefix) != 0) return std::nullopt;  // detached
  return without_line_end(head->substr(prefix.size()));
}

}  // namespace

std::optional<std::string> current_git_branch(const fs::path& dir) {
  std::error_code ec;
  for (fs::path at = dir; !at.empty(); at = at.parent_path()) {
    fs::path dot_git = at / ".git";
    if (fs::is_directory(dot_git, ec)) return branch_in_head(dot_git);
    if (fs::is_regular_file(dot_git, ec)) {
      // A worktree or submodule: ".git" is a file holding "gitdir: <path>".
      auto link = read_small_file(dot_git);
      if (!link || link->compare(0, 8, "gitdir: ") != 0) return std::nullopt;
      fs::path target = without_line_end(link->substr(8));
      return branch_in_head(target.is_absolute() ? target : at / target);
    }
    if (at == at.root_path()) break;
  }
  return std::nullopt;
}

void install_builtin_content_scanner() {
  set_content_secret_scanner([](std::string_view content) -> std::optional<std::string> {
    if (auto detection = safety::detect_secret(content)) return detection->rule_id;
    return std::nullopt;
  });
}

Guard make_project_guard(const fs::path& project_root, const fs::path& cwd, const Config& config,
                         const EnvMap& env) {
  install_builtin_content_scanner();
  GuardContext context;
  context.workspace = canonical_string(project_root);
  context.cwd = canonical_string(cwd.is_absolute() ? cwd : project_root / cwd);
  if (auto home = env_value(env, "HOME"); home && !home->empty()) {
    context.home = canonical_string(*home);
  }
  if (auto tmpdir = env_value(env, "TMPDIR"); tmpdir && !tmpdir->empty()) {
    context.tmpdir = canonical_string(*tmpdir);
  }
  context.in_virtualenv = env_value(env, "VIRTUAL_ENV").value_or("") != "" ||
                          env_value(env, "CONDA_PREFIX").value_or("") != "";
  context.current_branch = current_git_branch(context.cwd);
  context.protected_branches = config.strings("guard.protected_branches");
  return Guard(std::move(context), policy_from_config(config));
}

}  // namespace omk::guard
