#include "routing/workspace_state.h"

#include <unistd.h>

#include <cstdlib>
#include <system_error>

#include "core/environment.h"
#include "process/runner.h"

namespace omk::routing {
namespace {

struct GitResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// git without the user's hooks, pager, fsmonitor or optional locks; `index` replaces the
// index file when given.
GitResult git(const std::filesystem::path& repo, std::vector<std::string> args,
              const std::filesystem::path& index = {}) {
  process::RunOptions options;
  options.spawn.argv = {"git", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null"};
  options.spawn.argv.insert(options.spawn.argv.end(), args.begin(), args.end());
  options.spawn.cwd = repo;
  options.spawn.env = current_environment();
  options.spawn.env["GIT_OPTIONAL_LOCKS"] = "0";
  options.spawn.env["GIT_TERMINAL_PROMPT"] = "0";
  options.spawn.env.erase("GIT_DIR");
  options.spawn.env.erase("GIT_WORK_TREE");
  if (!index.empty()) options.spawn.env["GIT_INDEX_FILE"] = index.string();
  options.timeout = std::chrono::seconds(120);
  // Object ids and paths for a parser, not for a terminal: anything shown later goes through
  // a sink's redactor. (Redacting here could turn a tree id into a placeholder.)
  options.out.redact = false;
  options.out.capture_limit = size_t{64} << 20;
  process::RunResult run = process::run(options);
  GitResult result;
  result.exit_code = run.start_failure ? 127 : run.exit_code;
  result.out = run.out.text;
  result.err = run.start_failure ? run.start_failure->message() : run.err.text;
  return result;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.empty() ? "git failed" : line;
}

// NUL-separated paths (`-z` output).
std::vector<std::string> split_nul(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// A private copy of the repository's index (so `git add -A` reuses its stat cache), removed
// when this goes away.
class TemporaryIndex {
 public:
  explicit TemporaryIndex(const std::filesystem::path& repo) {
    std::string pattern = (std::filesystem::temp_directory_path() / "omk-index-XXXXXX").string();
    int fd = ::mkstemp(pattern.data());
    if (fd >= 0) ::close(fd);
    path_ = pattern;
    GitResult where = git(repo, {"rev-parse", "--git-path", "index"});
    std::error_code ec;
    std::filesystem::path real = trimmed(where.out);
    if (where.exit_code == 0 && real.is_relative()) real = repo / real;
    if (where.exit_code != 0 ||
        !std::filesystem::copy_file(real, path_, std::filesystem::copy_options::overwrite_existing,
                                    ec)) {
      std::filesystem::remove(path_, ec);  // git starts an empty index when the file is absent
    }
  }
  ~TemporaryIndex() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    std::filesystem::remove(path_.string() + ".lock", ec);
  }
  TemporaryIndex(const TemporaryIndex&) = delete;
  TemporaryIndex& operator=(const TemporaryIndex&) = delete;
  const std::filesystem::path& path() const { return path_; }
  void reset() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }

 private:
  std::filesystem::path path_;
};

}  // namespace

std::optional<WorkspaceSnapshot> snapshot_workspace(const std::filesystem::path& repo,
                                                    std::string* error) {
  GitResult inside = git(repo, {"rev-parse", "--is-inside-work-tree"});
  if (inside.exit_code != 0 || trimmed(inside.out) != "true") {
    if (error) *error = "not a git work tree: " + first_line(inside.err);
    return std::nullopt;
  }
  WorkspaceSnapshot snapshot;
  GitResult head = git(repo, {"rev-parse", "--verify", "--quiet", "HEAD"});
  if (head.exit_code == 0) snapshot.head = trimmed(head.out);
  TemporaryIndex index(repo);
  // omk's own state (.omk/: history, runs) is not the workspace an agent changes.
  std::vector<std::string> add_all = {"add", "--all", "--", ":/", ":(top,exclude).omk"};
  GitResult add = git(repo, add_all, index.path());
  if (add.exit_code != 0) {
    // A copied index git cannot use here (a split index, say): start from an empty one.
    index.reset();
    add = git(repo, add_all, index.path());
  }
  if (add.exit_code != 0) {
    if (error) *error = "git add (temporary index): " + first_line(add.err);
    return std::nullopt;
  }
  GitResult tree = git(repo, {"write-tree"}, index.path());
  if (tree.exit_code != 0) {
    if (error) *error = "git write-tree: " + first_line(tree.err);
    return std::nullopt;
  }
  snapshot.tree = trimmed(tree.out);
  return snapshot;
}

WorkspaceChange workspace_change(const std::filesystem::path& repo,
                                 const WorkspaceSnapshot& before) {
  WorkspaceChange change;
  std::string error;
  std::optional<WorkspaceSnapshot> after = snapshot_workspace(repo, &error);
  if (!after) {
    change.error = error;
    return change;
  }
  change.known = true;
  change.head_moved = after->head != before.head;
  if (after->tree != before.tree) {
    GitResult diff =
        git(repo, {"diff", "--name-only", "-z", "--no-renames", before.tree, after->tree});
    if (diff.exit_code != 0) {
      change.known = false;
      change.error = "git diff: " + first_line(diff.err);
      change.changed = true;
      return change;
    }
    change.paths = split_nul(diff.out);
  }
  change.changed = change.head_moved || after->tree != before.tree;
  return change;
}

std::optional<std::vector<std::string>> uncommitted_paths(const std::filesystem::path& repo) {
  GitResult status = git(repo, {"status", "--porcelain=v1", "-z", "--untracked-files=all"});
  if (status.exit_code != 0) return std::nullopt;
  std::vector<std::string> paths;
  std::vector<std::string> entries = split_nul(status.out);
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string& entry = entries[i];
    if (entry.size() < 4) continue;
    paths.push_back(entry.substr(3));
    // A rename or copy is followed by its source path.
    if (entry[0] == 'R' || entry[0] == 'C') ++i;
  }
  return paths;
}

}  // namespace omk::routing
