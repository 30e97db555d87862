#include "mcp/project_files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "safety/guard_path.h"

#include "mcp/server.h"
#include "process/runner.h"

namespace omk::mcp {
namespace fs = std::filesystem;

namespace {

bool is_below(const fs::path& path, const fs::path& base) {
  auto [base_end, path_at] = std::mismatch(base.begin(), base.end(), path.begin(), path.end());
  (void)path_at;
  return base_end == base.end();
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

ProjectFiles::ProjectFiles(const fs::path& root, EnvMap env)
    : root_(fs::canonical(root)), env_(std::move(env)) {
  if (auto home = env_value(env_, "HOME"); home && !home->empty() && home->front() == '/') {
    home_ = guard::normalize_path(*home);
  }
}

bool ProjectFiles::is_secret(std::string_view relative) const {
  if (is_secret_path(relative)) return true;
  guard::GuardContext context;
  context.workspace = root_.string();
  context.home = home_;
  std::string absolute = relative == "." ? root_.string() : (root_ / relative).string();
  return !guard::secret_file_kind(absolute, context).empty();
}

bool ProjectFiles::is_secret_path(std::string_view relative) {
  static constexpr std::array<std::string_view, 7> kSecretDirs = {
      ".git", ".ssh", ".aws", ".gnupg", ".kube", ".docker", ".azure"};
  static constexpr std::array<std::string_view, 13> kSecretNames = {
      ".netrc",    ".npmrc",      ".pypirc",          ".git-credentials", ".pgpass",
      ".htpasswd", "credentials", "credentials.json", "id_rsa",           "id_dsa",
      "id_ecdsa",  "id_ed25519",  ".dockercfg"};
  static constexpr std::array<std::string_view, 9> kSecretSuffixes = {
      ".pem", ".key", ".p12", ".pfx", ".jks", ".keystore", ".kdbx", ".ppk", ".asc"};
  std::string path = lower(relative);
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string_view part = std::string_view(path).substr(start, end - start);
    bool last = end == path.size();
    if (!last && std::find(kSecretDirs.begin(), kSecretDirs.end(), part) != kSecretDirs.end()) {
      return true;
    }
    if (last) {
      if (part == ".git") return true;
      if (part.rfind(".env", 0) == 0) return true;  // .env, .env.local, .envrc
      if (std::find(kSecretNames.begin(), kSecretNames.end(), part) != kSecretNames.end()) {
        return true;
      }
      if (part.rfind("id_", 0) == 0 && !ends_with(part, ".pub") &&
          (part.find("rsa") != std::string_view::npos ||
           part.find("ed25519") != std::string_view::npos ||
           part.find("ecdsa") != std::string_view::npos)) {
        return true;
      }
      if (part.find("service-account") != std::string_view::npos && ends_with(part, ".json")) {
        return true;
      }
      for (auto suffix : kSecretSuffixes) {
        if (ends_with(part, suffix)) return true;
      }
    }
    start = end + 1;
  }
  return false;
}

fs::path ProjectFiles::resolve(std::string_view input) const {
  if (input.find('\0') != std::string_view::npos) throw ToolError("path contains a NUL byte");
  if (!input.empty() && input.front() == '/') {
    throw ToolError(fmt::format(
        "absolute paths are refused ({}); give a path relative to the project root", input));
  }
  fs::path relative;
  size_t start = 0;
  while (start <= input.size()) {
    size_t end = input.find('/', start);
    if (end == std::string_view::npos) end = input.size();
    std::string_view part = input.substr(start, end - start);
    if (part == "..") {
      throw ToolError(fmt::format("\"..\" is refused ({}); paths stay inside the project", input));
    }
    if (!part.empty() && part != ".") relative /= std::string(part);
    start = end + 1;
  }
  fs::path candidate = root_ / relative;
  std::error_code ec;
  fs::path real = fs::canonical(candidate, ec);
  if (ec) throw ToolError(fmt::format("no such file or directory: {}", input));
  if (!is_below(real, root_)) {
    throw ToolError(fmt::format("{} leads outside the project (a symlink); refused", input));
  }
  check_secret(input, relative.generic_string());
  check_secret(input, this->relative(real));
  return real;
}

void ProjectFiles::check_secret(std::string_view input, const std::string& relative) const {
  if (is_secret(relative)) {
    throw ToolError(fmt::format(
        "{} is a secret-bearing file (keys, .env, credentials, .git internals); refused", input));
  }
}

FileText ProjectFiles::read(std::string_view input, size_t max_bytes) const {
  fs::path real = resolve(input);
  // resolve() returned a path without symlinks; O_NOFOLLOW keeps its last component from
  // becoming one, O_NONBLOCK keeps a FIFO from hanging the server.
  int fd = ::open(real.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ELOOP) {
      throw ToolError(fmt::format("{} changed into a symlink while being read; refused", input));
    }
    FileText failed;
    failed.exists = errno != ENOENT;
    failed.error = std::string("unreadable (") + std::strerror(errno) + ")";
    return failed;
  }
  // A directory above could still have been swapped for a symlink between resolve() and
  // open(): the kernel knows where the descriptor really points.
  std::error_code ec;
  fs::path opened = fs::read_symlink(fmt::format("/proc/self/fd/{}", fd), ec);
  if (!ec && (!is_below(opened, root_) || is_secret(relative(opened)))) {
    ::close(fd);
    throw ToolError(
        fmt::format("{} leads outside the project or to a secret file; refused", input));
  }
  return read_open_file(fd, max_bytes);
}

bool ProjectFiles::listable(const std::string& relative) const {
  if (is_secret(relative)) return false;
  std::error_code ec;
  fs::path path = root_ / relative;
  fs::file_status link = fs::symlink_status(path, ec);
  if (ec) return false;
  if (fs::is_regular_file(link)) return true;
  if (!fs::is_symlink(link)) return false;
  fs::path real = fs::canonical(path, ec);
  return !ec && is_below(real, root_) && !is_secret(this->relative(real)) &&
         fs::is_regular_file(real, ec);
}

std::string ProjectFiles::relative(const fs::path& real) const {
  fs::path rest = real.lexically_relative(root_);
  std::string text = rest.generic_string();
  return text.empty() ? std::string(".") : text;
}

std::optional<std::vector<std::string>> ProjectFiles::git_files() const {
  // git knows .gitignore (nested files, negations, info/exclude, core.excludesFile) exactly;
  // asking it beats re-implementing its rules.
  process::RunOptions options;
  options.spawn.argv = {"git", "-C",       root_.string(), "ls-files",
                        "-z",  "--cached", "--others",     "--exclude-standard"};
  // git needs only PATH and HOME (its own config); nothing else of omk's environment.
  EnvMap env = {{"PATH", env_value(env_, "PATH").value_or("/usr/bin:/bin")},
                {"LC_ALL", "C"},
                {"GIT_CONFIG_NOSYSTEM", "1"}};
  if (auto home = env_value(env_, "HOME")) env.emplace("HOME", *home);
  options.spawn.env = std::move(env);
  options.out.redact = false;  // paths, parsed here; never printed as they are
  options.out.capture_limit = 64 << 20;
  options.err.capture_limit = 4096;
  options.timeout = std::chrono::milliseconds(10000);
  process::RunResult result = process::run(options);
  if (result.start_failure || result.exit_code != 0 || result.out.dropped_bytes > 0) {
    return std::nullopt;
  }
  std::vector<std::string> files;
  const std::string& text = result.out.text;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) files.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return files;
}

std::vector<std::string> ProjectFiles::list(std::string_view directory, size_t limit,
                                            bool& truncated) const {
  truncated = false;
  fs::path base = resolve(directory);
  std::string prefix = relative(base);
  prefix = prefix == "." ? "" : prefix + "/";
  std::vector<std::string> files;
  if (auto tracked = git_files()) {
    std::sort(tracked->begin(), tracked->end());
    tracked->erase(std::unique(tracked->begin(), tracked->end()), tracked->end());
    for (auto& file : *tracked) {
      if (file.compare(0, prefix.size(), prefix) != 0) continue;
      if (!listable(file)) continue;  // deleted but still in the index, secret, or leads out
      if (files.size() >= limit) {
        truncated = true;
        break;
      }
      files.push_back(std::move(file));
    }
    return files;
  }
  // Not a git work tree (or no git): every file, without ignore rules, .git excluded.
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(
           base, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().filename() == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    std::string file = relative(it->path());
    if (!listable(file)) continue;
    if (files.size() >= limit) {
      truncated = true;
      break;
    }
    files.push_back(std::move(file));
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace omk::mcp
