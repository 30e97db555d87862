#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace omk::routing {

// One git command's outcome. `out` holds bytes exactly as git wrote them (object ids, paths,
// blob contents for a parser, never a terminal); anything shown later goes through a sink's
// redactor.
struct GitResult {
  int exit_code = -1;  // 127 when git could not be started
  std::string out;
  std::string err;
  bool truncated = false;  // `out` hit the capture limit
  bool ok() const { return exit_code == 0 && !truncated; }
};

struct GitCall {
  std::filesystem::path cwd;
  std::vector<std::string> args;
  std::filesystem::path index;              // GIT_INDEX_FILE when not empty
  std::map<std::string, std::string> env;   // added after the scrub (author identity, say)
  size_t capture_limit = size_t{64} << 20;  // bytes of stdout kept
};

// Runs git without the user's hooks, pager, fsmonitor or optional locks, in the C locale, with
// every GIT_* variable of omk's own environment removed: a GIT_DIR, GIT_WORK_TREE or
// GIT_INDEX_FILE left by a hook or a parent git must not point these commands at another
// repository or index.
GitResult run_git(const GitCall& call);
GitResult run_git(const std::filesystem::path& cwd, std::vector<std::string> args,
                  const std::filesystem::path& index = {});

// Trailing newlines, carriage returns and spaces removed.
std::string trimmed(std::string text);
// The first line of git's error output, or "git failed".
std::string first_line(const std::string& text);
// NUL-separated fields (`-z` output); empty fields dropped.
std::vector<std::string> split_nul(const std::string& text);

// A private directory (0700, under $TMPDIR) removed with everything in it when this goes away.
class PrivateTempDir {
 public:
  explicit PrivateTempDir(const std::string& prefix);
  ~PrivateTempDir();
  PrivateTempDir(const PrivateTempDir&) = delete;
  PrivateTempDir& operator=(const PrivateTempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A private copy of a repository's index (so `git add -A` reuses its stat cache) in a private
// temporary directory: git writes it and its lock there, never next to the user's index.
class TemporaryIndex {
 public:
  explicit TemporaryIndex(const std::filesystem::path& repo);
  const std::filesystem::path& path() const { return path_; }
  // Drops the copy: git then starts from an empty index.
  void reset();

 private:
  PrivateTempDir dir_;
  std::filesystem::path path_;
};

}  // namespace omk::routing
