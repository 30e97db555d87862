#include "routing/git_call.h"

#include <stdlib.h>

#include <system_error>

#include "core/environment.h"
#include "core/error.h"
#include "process/runner.h"

namespace omk::routing {
namespace fs = std::filesystem;

GitResult run_git(const GitCall& call) {
  process::RunOptions options;
  options.spawn.argv = {"git",
                        "-c",
                        "core.fsmonitor=false",
                        "-c",
                        "core.hooksPath=/dev/null",
                        "-c",
                        "core.quotePath=false",
                        "-c",
                        "commit.gpgsign=false",
                        "-c",
                        "advice.detachedHead=false"};
  options.spawn.argv.insert(options.spawn.argv.end(), call.args.begin(), call.args.end());
  options.spawn.cwd = call.cwd;
  EnvMap env = current_environment();
  for (auto it = env.begin(); it != env.end();) {
    it = it->first.rfind("GIT_", 0) == 0 ? env.erase(it) : std::next(it);
  }
  env["GIT_OPTIONAL_LOCKS"] = "0";
  env["GIT_TERMINAL_PROMPT"] = "0";
  env["GIT_PAGER"] = "cat";
  env["LC_ALL"] = "C";
  if (!call.index.empty()) env["GIT_INDEX_FILE"] = call.index.string();
  for (const auto& [name, value] : call.env) env[name] = value;
  options.spawn.env = std::move(env);
  options.timeout = std::chrono::seconds(120);
  options.out.redact = false;
  options.out.capture_limit = call.capture_limit;
  process::RunResult run = process::run(options);
  GitResult result;
  result.exit_code = run.start_failure ? 127 : run.exit_code;
  result.out = std::move(run.out.text);
  result.truncated = run.out.dropped_bytes > 0;
  result.err = run.start_failure ? run.start_failure->message() : run.err.text;
  return result;
}

GitResult run_git(const fs::path& cwd, std::vector<std::string> args, const fs::path& index) {
  GitCall call;
  call.cwd = cwd;
  call.args = std::move(args);
  call.index = index;
  return run_git(call);
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

PrivateTempDir::PrivateTempDir(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw UserError(ExitCode::kFailed,
                    "cannot create a temporary directory under " +
                        fs::temp_directory_path().string() + ": " +
                        std::error_code(errno, std::generic_category()).message());
  }
  path_ = pattern;
}

PrivateTempDir::~PrivateTempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

TemporaryIndex::TemporaryIndex(const fs::path& repo) : dir_("omk-index") {
  path_ = dir_.path() / "index";
  GitResult where = run_git(repo, {"rev-parse", "--git-path", "index"});
  std::error_code ec;
  fs::path real = trimmed(where.out);
  if (where.exit_code == 0 && real.is_relative()) real = repo / real;
  if (where.exit_code != 0 ||
      !fs::copy_file(real, path_, fs::copy_options::overwrite_existing, ec)) {
    reset();  // git starts an empty index when the file is absent
  }
}

void TemporaryIndex::reset() {
  std::error_code ec;
  fs::remove(path_, ec);
}

}  // namespace omk::routing
