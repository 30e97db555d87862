#pragma once

#include <optional>
#include <string_view>

namespace omk::sandbox {

// read-only: read the system, the workspace and the child's own HOME; write only the child's
//   private temp dir and HOME (both removed afterwards).
// workspace-write: also write the workspace and explicitly added writable roots, except the
//   protected paths inside them.
// full-access: no OS sandbox (environment scrubbing and the private HOME still apply); only on
//   explicit request, always reported.
enum class Profile { kReadOnly, kWorkspaceWrite, kFullAccess };

std::string_view to_string(Profile profile);
std::optional<Profile> parse_profile(std::string_view text);

}  // namespace omk::sandbox
