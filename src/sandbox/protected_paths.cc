#include "sandbox/protected_paths.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <string>

namespace omk::sandbox {
namespace fs = std::filesystem;

namespace {

// Agent and omk directories: created when missing in a primary root.
const std::vector<std::string_view> kAgentDirs = {".omk", ".kimi", ".codex", ".claude"};
// Protected when present: hook script folders and project MCP config other agents load.
const std::vector<std::string_view> kExistingOnly = {".husky", ".githooks", ".mcp.json"};
// Inside a git directory.
const std::vector<std::string_view> kGitDirs = {"hooks", "info"};

bool path_exists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(path, ec));
}

bool is_dir(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

bool is_under(const fs::path& path, const fs::path& root) {
  auto [root_end, path_it] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

std::optional<fs::path> real_path(const fs::path& path) {
  std::error_code ec;
  fs::path result = fs::canonical(path, ec);
  if (ec) return std::nullopt;
  return result;
}

std::string first_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

// core.hooksPath from a git config file (a plain scan; a value we cannot read is not followed).
std::optional<std::string> hooks_path_setting(const fs::path& config) {
  std::ifstream in(config);
  std::string line;
  bool in_core = false;
  while (std::getline(in, line)) {
    auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    std::string text = line.substr(start);
    if (text.front() == '[') {
      std::string section = text.substr(1, text.find(']') - 1);
      std::transform(section.begin(), section.end(), section.begin(), ::tolower);
      in_core = section == "core";
      continue;
    }
    if (!in_core) continue;
    std::string key = text.substr(0, text.find_first_of(" \t="));
    std::transform(key.begin(), key.end(), key.begin(), ::tolower);
    if (key != "hookspath") continue;
    auto eq = text.find('=');
    if (eq == std::string::npos) continue;
    std::string value = text.substr(eq + 1);
    value.erase(0, value.find_first_not_of(" \t\""));
    value.erase(value.find_last_not_of(" \t\"") + 1);
    if (!value.empty()) return value;
  }
  return std::nullopt;
}

class Planner {
 public:
  explicit Planner(const std::vector<fs::path>& roots) : roots_(roots) {}

  bool writable(const fs::path& path) const {
    return std::any_of(roots_.begin(), roots_.end(),
                       [&](const fs::path& root) { return is_under(path, root); });
  }

  void protect(const fs::path& path, bool create_dir) {
    if (!path_exists(path)) {
      if (!create_dir) return;
      std::error_code ec;
      if (!fs::create_directory(path, ec) || ec) return;
      result.created.push_back(path);
    }
    auto real = real_path(path);
    if (real && writable(*real)) read_only.insert(*real);
  }

  void pin(const fs::path& dir) {
    auto real = real_path(dir);
    if (real && writable(*real) && is_dir(*real)) pinned.insert(*real);
  }

  // A git directory (.git, or a bare/common dir a writable root reaches).
  void protect_git_dir(const fs::path& git_dir, bool create) {
    for (auto name : kGitDirs) protect(git_dir / name, create);
    protect(git_dir / "config", false);
  }

  void protect_repository(const fs::path& root, bool primary) {
    fs::path dot_git = root / ".git";
    if (is_dir(dot_git)) {
      pin(dot_git);
      protect_git_dir(dot_git, true);
    } else if (path_exists(dot_git)) {
      // A linked work tree: ".git" is a file naming its git dir, whose "commondir" holds the
      // hooks and config shared by all work trees.
      protect(dot_git, false);
      std::string line = first_line(dot_git);
      if (line.rfind("gitdir:", 0) == 0) {
        std::string value = line.substr(7);
        value.erase(0, value.find_first_not_of(' '));
        fs::path git_dir = fs::path(value).is_absolute() ? fs::path(value) : root / value;
        fs::path common = git_dir;
        if (std::string rel = first_line(git_dir / "commondir"); !rel.empty()) {
          common = fs::path(rel).is_absolute() ? fs::path(rel) : git_dir / rel;
        }
        protect(git_dir / "config.worktree", false);
        pin(common);
        protect_git_dir(common, false);
      }
    } else if (path_exists(root / "HEAD") && is_dir(root / "objects")) {
      protect_git_dir(root, false);  // the writable root is itself a git directory
    }
    for (const fs::path& config : {dot_git / "config", root / "config"}) {
      if (auto hooks = hooks_path_setting(config)) {
        fs::path path = fs::path(*hooks).is_absolute() ? fs::path(*hooks) : root / *hooks;
        protect(path, false);
      }
    }
    for (auto name : kAgentDirs) protect(root / name, primary);
    for (auto name : kExistingOnly) protect(root / name, false);
  }

  ProtectedPaths result;
  std::set<fs::path> pinned;
  std::set<fs::path> read_only;

 private:
  const std::vector<fs::path>& roots_;
};

}  // namespace

ProtectedPaths plan_protected_paths(const std::vector<fs::path>& writable_roots,
                                    const std::vector<fs::path>& primary_roots) {
  Planner planner(writable_roots);
  for (const fs::path& root : writable_roots) {
    bool primary =
        std::find(primary_roots.begin(), primary_roots.end(), root) != primary_roots.end();
    planner.protect_repository(root, primary || path_exists(root / ".git"));
  }
  ProtectedPaths result = std::move(planner.result);
  result.pinned.assign(planner.pinned.begin(), planner.pinned.end());
  result.read_only.assign(planner.read_only.begin(), planner.read_only.end());
  return result;
}

const std::vector<std::string_view>& protected_names() {
  static const std::vector<std::string_view> names = {".git/hooks",
                                                      ".git/config",
                                                      ".git/info",
                                                      "the .git file of a linked work tree",
                                                      "the common git dir's hooks, config and info",
                                                      "core.hooksPath",
                                                      ".omk",
                                                      ".kimi",
                                                      ".codex",
                                                      ".claude",
                                                      ".husky",
                                                      ".githooks",
                                                      ".mcp.json"};
  return names;
}

}  // namespace omk::sandbox
