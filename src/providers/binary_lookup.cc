#include "providers/binary_lookup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <fstream>

namespace omk::providers {
namespace fs = std::filesystem;
namespace {

bool executable_file(const fs::path& path, struct stat& info) {
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
  return ::access(path.c_str(), X_OK) == 0;
}

int64_t mtime_ns(const struct stat& info) {
  return static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
}

std::optional<fs::path> search_path(const std::string& name, const EnvMap& env) {
  std::string path = env_value(env, "PATH").value_or("/usr/local/bin:/usr/bin:/bin");
  size_t start = 0;
  while (start <= path.size()) {
    size_t colon = path.find(':', start);
    if (colon == std::string::npos) colon = path.size();
    std::string dir = path.substr(start, colon - start);
    start = colon + 1;
    if (dir.empty()) continue;  // an empty entry means "." for execvp: never for omk
    fs::path candidate = fs::path(dir) / name;
    struct stat info {};
    if (executable_file(candidate, info)) return candidate;
  }
  return std::nullopt;
}

// "#!/usr/bin/env node" → "node"; "#!/usr/bin/node" → "/usr/bin/node".
std::optional<std::string> shebang_interpreter(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[2] = {0, 0};
  if (!in.read(head, 2) || head[0] != '#' || head[1] != '!') return std::nullopt;
  std::string line;
  std::getline(in, line);
  std::vector<std::string> words;
  size_t at = 0;
  while (at < line.size()) {
    size_t start = line.find_first_not_of(" \t\r", at);
    if (start == std::string::npos) break;
    size_t end = line.find_first_of(" \t\r", start);
    if (end == std::string::npos) end = line.size();
    words.push_back(line.substr(start, end - start));
    at = end;
  }
  if (words.empty()) return std::nullopt;
  if (fs::path(words[0]).filename() == "env") {
    for (size_t i = 1; i < words.size(); ++i) {
      if (words[i].empty() || words[i][0] == '-') continue;  // env -S
      return words[i];
    }
    return std::nullopt;
  }
  return words[0];
}

bool under_system_directory(const fs::path& path) {
  for (const char* system : {"/usr/", "/bin/", "/lib/", "/lib64/", "/opt/", "/etc/", "/sbin/"}) {
    if (path.string().rfind(system, 0) == 0) return true;
  }
  return false;
}

// The package root of a file inside node_modules: everything up to the topmost node_modules.
fs::path package_root(const fs::path& resolved) {
  fs::path root;
  fs::path walked;
  for (const fs::path& part : resolved) {
    walked /= part;
    if (part == "node_modules") {
      root = walked;
      break;
    }
  }
  return root.empty() ? resolved.parent_path() : root;
}

}  // namespace

std::string FoundBinary::cache_key() const {
  std::string key = fmt::format("{}|{}|{}", resolved.string(), size, mtime_ns);
  if (interpreter) {
    key += fmt::format("|{}|{}|{}", interpreter->string(), interpreter_size, interpreter_mtime_ns);
  }
  return key;
}

std::optional<FoundBinary> find_binary(const std::string& name, const EnvMap& env) {
  if (name.empty()) return std::nullopt;
  FoundBinary found;
  struct stat info {};
  if (name.find('/') != std::string::npos) {
    std::error_code ec;
    fs::path absolute = fs::absolute(name, ec);
    if (ec || !executable_file(absolute, info)) return std::nullopt;
    found.path = absolute;
  } else {
    auto on_path = search_path(name, env);
    if (!on_path) return std::nullopt;
    found.path = *on_path;
  }
  std::error_code ec;
  found.resolved = fs::canonical(found.path, ec);
  if (ec) found.resolved = found.path;
  if (::stat(found.resolved.c_str(), &info) != 0) return std::nullopt;
  found.size = static_cast<uint64_t>(info.st_size);
  found.mtime_ns = mtime_ns(info);
  if (auto interpreter = shebang_interpreter(found.resolved)) {
    std::optional<fs::path> located;
    if (interpreter->find('/') != std::string::npos) {
      located = fs::path(*interpreter);
    } else {
      located = search_path(*interpreter, env);
    }
    if (located) {
      fs::path real = fs::canonical(*located, ec);
      if (ec) real = *located;
      struct stat interpreter_info {};
      if (::stat(real.c_str(), &interpreter_info) == 0) {
        found.interpreter = real;
        found.interpreter_size = static_cast<uint64_t>(interpreter_info.st_size);
        found.interpreter_mtime_ns = mtime_ns(interpreter_info);
      }
    }
  }
  return found;
}

std::vector<fs::path> runtime_roots(const FoundBinary& binary) {
  std::vector<fs::path> roots;
  auto add = [&](const fs::path& root) {
    if (root.empty() || under_system_directory(root.string() + "/")) return;
    for (const fs::path& existing : roots) {
      if (existing == root) return;
    }
    roots.push_back(root);
  };
  add(package_root(binary.resolved));
  // The PATH entry itself (node_modules/.bin holds the links omk executes).
  add(binary.path.parent_path());
  if (binary.interpreter) {
    // <prefix>/bin/node: the whole installation (lib/node_modules of a version manager too).
    fs::path bin = binary.interpreter->parent_path();
    add(bin.filename() == "bin" ? bin.parent_path() : bin);
  }
  return roots;
}

}  // namespace omk::providers
