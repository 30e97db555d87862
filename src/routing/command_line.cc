#include "routing/command_line.h"

#include <cstddef>

namespace omk::routing {
namespace {

// Programs that are not English words, so a clause starting with one is a command line.
constexpr std::string_view kTools[] = {
    "npm",       "pnpm",   "yarn",         "bun",        "npx",
    "cargo",     "pytest", "cmake",        "ctest",      "ninja",
    "tsc",       "eslint", "prettier",     "jest",       "vitest",
    "mvn",       "gradle", "pip",          "pip3",       "python",
    "python3",   "node",   "deno",         "docker",     "docker-compose",
    "kubectl",   "git",    "gh",           "bash",       "sh",
    "zsh",       "ls",     "rg",           "curl",       "wget",
    "terraform", "helm",   "clang-format", "clang-tidy", "valgrind",
    "gdb",       "perf",   "strace",       "uv",         "poetry",
    "tox",       "rake",   "bundle",       "dotnet",     "rustc",
    "gcc",       "g++",    "clang",        "clang++",    "javac",
    "twine",     "bazel",  "meson",        "mypy",       "ruff",
    "flake8",    "pylint"};

// `make` and `go` are English words too; they are commands only with these next words.
constexpr std::string_view kMakeTargets[] = {"test",   "tests", "all",      "check",    "install",
                                             "clean",  "build", "release",  "bench",    "docs",
                                             "format", "lint",  "package",  "dist",     "run",
                                             "debug",  "fuzz",  "coverage", "bootstrap"};
constexpr std::string_view kGoCommands[] = {"test", "build", "run",      "vet", "install",
                                            "get",  "mod",   "generate", "fmt"};

template <size_t N>
bool contains(const std::string_view (&list)[N], std::string_view word) {
  for (std::string_view item : list) {
    if (item == word) return true;
  }
  return false;
}

std::string_view at(const std::vector<std::string_view>& words, size_t i) {
  return i < words.size() ? words[i] : std::string_view();
}

bool publishes(const std::vector<std::string_view>& w) {
  std::string_view tool = at(w, 0), sub = at(w, 1);
  if (tool == "git") {
    if (sub == "push" || sub == "merge") return true;
    // `git tag` alone lists tags; with a name it creates one to push.
    return sub == "tag" && !at(w, 2).empty() && at(w, 2) != "-l" && at(w, 2) != "--list";
  }
  if (tool == "npm" || tool == "pnpm" || tool == "yarn" || tool == "bun" || tool == "cargo") {
    return sub == "publish";
  }
  if (tool == "gh") {
    return (sub == "pr" && (at(w, 2) == "create" || at(w, 2) == "merge")) || sub == "release";
  }
  if (tool == "docker") return sub == "push";
  if (tool == "twine") return sub == "upload";
  if (tool == "kubectl") return sub == "apply" || sub == "rollout";
  if (tool == "terraform") return sub == "apply";
  if (tool == "helm") return sub == "install" || sub == "upgrade";
  return false;
}

}  // namespace

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
    size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

std::optional<CommandLineRisk> command_line_risk(const std::vector<std::string_view>& words) {
  if (words.empty()) return std::nullopt;
  std::string_view first = words[0];
  std::string_view second = at(words, 1);
  bool command = contains(kTools, first);
  if (first == "make") command = contains(kMakeTargets, second) || second.starts_with("-");
  if (first == "go") command = contains(kGoCommands, second);
  // A script by path: ./run.sh, scripts/bootstrap.
  if (first.starts_with("./") || first.starts_with("scripts/") || first.ends_with(".sh")) {
    command = true;
  }
  if (!command) return std::nullopt;
  CommandLineRisk result;
  result.risk = publishes(words) ? Risk::kMerge : Risk::kShell;
  result.words = std::string(first);
  if (!second.empty() && !second.starts_with("-")) result.words += " " + std::string(second);
  return result;
}

}  // namespace omk::routing
