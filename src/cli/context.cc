#include "cli/context.h"

#include "core/error.h"

namespace omk::cli {

ProjectRoot Context::project_root() const {
  return resolve_project_root(root_query_from_process(project_flag));
}

ProjectRoot Context::guard_root(const std::filesystem::path& cwd) const {
  RootQuery query = root_query_from_process(project_flag);
  query.cwd = cwd;
  bool named = query.flag || (query.env_project_root && !query.env_project_root->empty());
  if (named) return resolve_project_root(query);
  try {
    return resolve_project_root(query);
  } catch (const UserError&) {
    return ProjectRoot{cwd, RootSource::kCwd};  // HOME: judge the session where it runs
  }
}

Config Context::config(const ProjectRoot& root) const {
  return load_config(root.path, env);
}

}  // namespace omk::cli
