#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace omk::sandbox {

// Paths inside writable roots that stay read-only, so an agent cannot rewrite its own guards or
// plant code that runs later outside the sandbox: git hooks and config, the agent-facing and
// omk directories, hook script folders. Landlock cannot carve a read-only hole into a writable
// tree, so these become read-only bind mounts in the child's private mount namespace.
struct ProtectedPaths {
  // Directories bind-mounted onto themselves: a mount point cannot be renamed or removed, so
  // `mv .git .git.old && mkdir -p .git/hooks` cannot replace the protected tree.
  std::vector<std::filesystem::path> pinned;
  std::vector<std::filesystem::path> read_only;
  // Missing protected directories omk created (empty) so that nothing can be planted there;
  // the caller removes them afterwards when they are still empty.
  std::vector<std::filesystem::path> created;
};

// `primary_roots` (the workspace, and writable roots that are git work trees) also get their
// missing agent directories created; other writable roots only have existing paths protected.
ProtectedPaths plan_protected_paths(const std::vector<std::filesystem::path>& writable_roots,
                                    const std::vector<std::filesystem::path>& primary_roots);

// The names protected beneath a writable root, for documentation and the probe.
const std::vector<std::string_view>& protected_names();

}  // namespace omk::sandbox
