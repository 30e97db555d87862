#include "dag/git.h"

#include "core/error.h"

namespace omk::dag {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> git_argv(const fs::path& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"git",
                                   "-C",
                                   dir.string(),
                                   "-c",
                                   "user.name=omk",
                                   "-c",
                                   "user.email=omk@localhost",
                                   "-c",
                                   "commit.gpgsign=false",
                                   "-c",
                                   "core.hooksPath=/dev/null",
                                   "-c",
                                   "advice.detachedHead=false",
                                   "-c",
                                   "core.quotePath=false"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::string describe(const std::vector<std::string>& args) {
  std::string text = "git";
  for (const auto& arg : args) text += " " + arg;
  return text;
}

}  // namespace

Git::Git(fs::path repo) : repo_(std::move(repo)) {}

ToolResult Git::run(const std::vector<std::string>& args) const {
  return run_in(repo_, args);
}

namespace {

ToolResult run_git(const fs::path& dir, const std::vector<std::string>& args, bool redact) {
  ToolRun run;
  run.argv = git_argv(dir, args);
  run.cwd = dir;
  run.extra_env = {{"GIT_TERMINAL_PROMPT", "0"}, {"GIT_OPTIONAL_LOCKS", "0"}, {"LC_ALL", "C"}};
  run.redact = redact;
  return run_tool(run);
}

}  // namespace

ToolResult Git::run_in(const fs::path& dir, const std::vector<std::string>& args) const {
  return run_git(dir, args, true);
}

ToolResult Git::run_raw_in(const fs::path& dir, const std::vector<std::string>& args) const {
  return run_git(dir, args, false);
}

std::string Git::must(const std::vector<std::string>& args) const {
  return must_in(repo_, args);
}

std::string Git::must_in(const fs::path& dir, const std::vector<std::string>& args) const {
  ToolResult result = run_in(dir, args);
  if (!result.ok()) {
    std::string why = !result.start_error.empty() ? result.start_error : result.err;
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    throw usage_error(describe(args) + " failed in " + dir.string() + ": " +
                      (why.empty() ? "exit " + std::to_string(result.exit_code) : why));
  }
  return result.out;
}

bool Git::is_repository() const {
  ToolResult result = run({"rev-parse", "--is-inside-work-tree"});
  return result.ok() && result.out.rfind("true", 0) == 0;
}

std::optional<std::string> Git::head() const {
  return head_in(repo_);
}

std::optional<std::string> Git::head_in(const fs::path& dir) const {
  ToolResult result = run_in(dir, {"rev-parse", "--verify", "--quiet", "HEAD^{commit}"});
  if (!result.ok()) return std::nullopt;
  std::string id = result.out;
  while (!id.empty() && (id.back() == '\n' || id.back() == '\r')) id.pop_back();
  return id;
}

bool Git::has_tracked_changes() const {
  return !must({"status", "--porcelain", "--untracked-files=no"}).empty();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace omk::dag
