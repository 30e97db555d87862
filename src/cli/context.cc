#include "cli/context.h"

namespace omk::cli {

ProjectRoot Context::project_root() const {
  return resolve_project_root(root_query_from_process(project_flag));
}

Config Context::config(const ProjectRoot& root) const {
  return load_config(root.path, env);
}

}  // namespace omk::cli
