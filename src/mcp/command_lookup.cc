#include "mcp/command_lookup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>

namespace omk::mcp {
namespace fs = std::filesystem;

namespace {

bool is_executable_file(const fs::path& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::optional<fs::path> find_executable(std::string_view command, std::string_view path_variable,
                                        const fs::path& base) {
  if (command.empty()) return std::nullopt;
  if (command.find('/') != std::string_view::npos) {
    fs::path path(command);
    if (path.is_relative()) path = base / path;
    if (is_executable_file(path)) return path.lexically_normal();
    return std::nullopt;
  }
  size_t start = 0;
  while (start <= path_variable.size()) {
    size_t end = path_variable.find(':', start);
    if (end == std::string_view::npos) end = path_variable.size();
    std::string_view dir = path_variable.substr(start, end - start);
    // An empty PATH entry means the current directory; omk never resolves commands there.
    if (!dir.empty() && dir.front() == '/') {
      fs::path candidate = fs::path(dir) / command;
      if (is_executable_file(candidate)) return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

std::optional<std::string> first_shell_word(std::string_view line) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos) return std::nullopt;
  std::string word;
  char quote = 0;
  for (; i < line.size(); ++i) {
    char c = line[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = 0;
      } else {
        word += c;
      }
      continue;
    }
    if (c == '$' || c == '`') return std::nullopt;  // needs a shell to know
    if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else if (c == '\\' && i + 1 < line.size()) {
        word += line[++i];
      } else {
        word += c;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '\\' && i + 1 < line.size()) {
      word += line[++i];
    } else if (c == ' ' || c == '\t' || c == ';' || c == '&' || c == '|' || c == '\n' || c == '<' ||
               c == '>' || c == '(' || c == ')') {
      break;
    } else {
      word += c;
    }
  }
  if (quote != 0 || word.empty()) return std::nullopt;
  // "FOO=bar cmd": an assignment prefix; the command follows it.
  if (word.find('=') != std::string::npos && word.find('/') == std::string::npos) {
    return std::nullopt;
  }
  return word;
}

bool is_shell_builtin(std::string_view word) {
  static constexpr std::array<std::string_view, 24> kBuiltins = {
      "true", "false", "echo",  "printf", "test", "[",     "exit",   "cd",
      ":",    "exec",  "eval",  "export", "set",  "unset", "read",   "command",
      "if",   "for",   "while", "case",   "{",    "!",     "source", "."};
  for (auto builtin : kBuiltins) {
    if (word == builtin) return true;
  }
  return false;
}

}  // namespace omk::mcp
