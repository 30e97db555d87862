#include "providers/workspace_changes.h"

#include <sys/stat.h>

#include <fmt/format.h>

#include "process/runner.h"

namespace omk::providers {
namespace fs = std::filesystem;

std::optional<WorkspaceSnapshot> snapshot_workspace(const fs::path& workspace,
                                                    const EnvMap& omk_env) {
  process::RunOptions options;
  options.spawn.argv = {
      "git", "-C", workspace.string(), "status", "--porcelain=v1", "-z", "--untracked-files=all"};
  // git run by omk itself, on the user's workspace: only what git needs to find itself.
  for (const char* name : {"PATH", "HOME", "LANG"}) {
    if (auto value = env_value(omk_env, name)) options.spawn.env[name] = *value;
  }
  options.spawn.env["GIT_OPTIONAL_LOCKS"] = "0";
  options.timeout = std::chrono::milliseconds(20000);
  options.out.capture_limit = 16 << 20;
  options.out.redact = false;  // paths, parsed here and never printed as they are
  process::RunResult result = process::run(options);
  if (result.start_failure || result.exit_code != 0) return std::nullopt;

  WorkspaceSnapshot snapshot;
  const std::string& text = result.out.text;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\0', at);
    if (end == std::string::npos) end = text.size();
    std::string record = text.substr(at, end - at);
    at = end + 1;
    if (record.size() < 4) continue;
    std::string status = record.substr(0, 2);
    std::string path = record.substr(3);
    // A rename's record is followed by its source path.
    if (status[0] == 'R' || status[0] == 'C') {
      size_t source_end = text.find('\0', at);
      at = source_end == std::string::npos ? text.size() : source_end + 1;
    }
    struct stat info {};
    std::string fingerprint = status;
    if (::stat((workspace / path).c_str(), &info) == 0) {
      fingerprint +=
          fmt::format(" {} {}.{}", info.st_size, info.st_mtim.tv_sec, info.st_mtim.tv_nsec);
    }
    snapshot.entries.insert({path, fingerprint});
  }
  return snapshot;
}

std::set<std::string> changed_paths(const WorkspaceSnapshot& before,
                                    const WorkspaceSnapshot& after) {
  std::set<std::string> changed;
  for (const auto& entry : after.entries) {
    if (!before.entries.count(entry)) changed.insert(entry.first);
  }
  for (const auto& entry : before.entries) {
    if (!after.entries.count(entry)) changed.insert(entry.first);
  }
  return changed;
}

}  // namespace omk::providers
