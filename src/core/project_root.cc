#include "core/project_root.h"

#include <cstdlib>
#include <system_error>

#include "core/error.h"

namespace omk {
namespace fs = std::filesystem;

std::string to_string(RootSource source) {
  switch (source) {
    case RootSource::kFlag:
      return "flag";
    case RootSource::kEnv:
      return "env";
    case RootSource::kMarker:
      return "marker";
    case RootSource::kGit:
      return "git";
    case RootSource::kCwd:
      return "cwd";
  }
  return "cwd";
}

namespace {

bool path_exists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

bool is_dir(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

fs::path canonical_or_self(const fs::path& path) {
  std::error_code ec;
  fs::path resolved = fs::canonical(path, ec);
  return ec ? path.lexically_normal() : resolved;
}

bool has_marker(const fs::path& dir) {
  return path_exists(dir / ".omk" / "config.toml") || is_dir(dir / ".kimi");
}

ProjectRoot explicit_root(const fs::path& raw, const fs::path& cwd, RootSource source,
                          const std::string& what) {
  fs::path path = raw.is_absolute() ? raw : cwd / raw;
  if (!path_exists(path)) {
    throw usage_error(what + " " + raw.string() +
                      " does not exist; create it or point omk at an existing project directory");
  }
  if (!is_dir(path)) {
    throw usage_error(what + " " + raw.string() + " is not a directory");
  }
  return {canonical_or_self(path), source};
}

}  // namespace

ProjectRoot resolve_project_root(const RootQuery& query) {
  if (query.flag) return explicit_root(*query.flag, query.cwd, RootSource::kFlag, "--project");
  if (query.env_project_root && !query.env_project_root->empty()) {
    return explicit_root(*query.env_project_root, query.cwd, RootSource::kEnv, "OMK_PROJECT_ROOT");
  }

  fs::path cwd = canonical_or_self(query.cwd);
  std::optional<fs::path> home;
  if (query.home && !query.home->empty()) home = canonical_or_self(*query.home);

  std::optional<ProjectRoot> found;
  for (fs::path dir = cwd;; dir = dir.parent_path()) {
    bool is_home = home && dir == *home;
    if (!is_home && has_marker(dir)) {
      found = ProjectRoot{dir, RootSource::kMarker};
      break;
    }
    if (path_exists(dir / ".git")) {
      found = ProjectRoot{dir, RootSource::kGit};
      break;
    }
    if (dir == dir.root_path() || dir.parent_path() == dir) break;
  }
  if (!found) found = ProjectRoot{cwd, RootSource::kCwd};

  if (home && found->path == *home) {
    throw usage_error("the project root would be your home directory (" + home->string() +
                      "); omk never uses HOME as a project implicitly. Run omk inside a project "
                      "directory, or name one with --project DIR or OMK_PROJECT_ROOT");
  }
  return *found;
}

RootQuery root_query_from_process(const std::optional<fs::path>& flag) {
  RootQuery query;
  std::error_code ec;
  query.cwd = fs::current_path(ec);
  if (ec) throw usage_error("cannot read the current directory: " + ec.message());
  if (const char* home = std::getenv("HOME")) query.home = fs::path(home);
  if (const char* root = std::getenv("OMK_PROJECT_ROOT")) query.env_project_root = fs::path(root);
  query.flag = flag;
  return query;
}

}  // namespace omk
