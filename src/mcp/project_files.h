#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/environment.h"
#include "mcp/file_read.h"

namespace omk::mcp {

// The files of one project as the omk-project server may show them: paths stay inside the root
// (no "..", no absolute paths, no symlink that leads out), secret-bearing files are refused, and
// .gitignore decides what is listed.
class ProjectFiles {
 public:
  // `root` must exist; it is resolved once (symlinks and all).
  ProjectFiles(const std::filesystem::path& root, EnvMap env);

  const std::filesystem::path& root() const { return root_; }

  // The real path of `input` (relative to the root) after every containment check. Throws
  // ToolError naming the input and the rule it broke.
  std::filesystem::path resolve(std::string_view input) const;
  // The text of the file `input` names, at most `max_bytes`. What is read is what was checked:
  // the resolved path is opened without following a symlink, and the open descriptor's real
  // path is checked again (a symlink swapped in after resolve() is refused, not followed).
  // Throws ToolError like resolve(); unreadable files come back with `error` set.
  FileText read(std::string_view input, size_t max_bytes) const;
  // The path relative to the root, with '/' separators ("." for the root).
  std::string relative(const std::filesystem::path& real) const;

  // Files under `directory` (relative, "" for all) that .gitignore does not exclude, relative
  // to the root and sorted. Never listed: .git itself, secret-bearing files, and symlinks that
  // lead out of the project. Stops after `limit` (truncated set).
  std::vector<std::string> list(std::string_view directory, size_t limit, bool& truncated) const;

  // True for files that hold credentials by their nature: .env*, private keys, .netrc,
  // registry tokens, cloud credentials, anything under .git/, .ssh/, .aws/, .gnupg/.
  static bool is_secret_path(std::string_view relative);
  // is_secret_path, or a secret file by the command guard's denylist (guard::secret_file_kind:
  // the files an agent's own Read tool is refused), so both doors refuse the same files.
  bool is_secret(std::string_view relative) const;

 private:
  std::optional<std::vector<std::string>> git_files() const;
  // Whether `relative` (as listed) names a file the tools would serve: a regular file (or a
  // symlink to one) inside the root and not secret-bearing.
  bool listable(const std::string& relative) const;
  void check_secret(std::string_view input, const std::string& relative) const;

  std::filesystem::path root_;
  EnvMap env_;
  std::string home_;  // for the guard's home-relative rules (~/.ssh, ~/.aws, ...)
};

}  // namespace omk::mcp
