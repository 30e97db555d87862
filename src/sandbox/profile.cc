#include "sandbox/profile.h"

namespace omk::sandbox {

std::string_view to_string(Profile profile) {
  switch (profile) {
    case Profile::kReadOnly:
      return "read-only";
    case Profile::kWorkspaceWrite:
      return "workspace-write";
    case Profile::kFullAccess:
      return "full-access";
  }
  return "read-only";
}

std::optional<Profile> parse_profile(std::string_view text) {
  if (text == "read-only") return Profile::kReadOnly;
  if (text == "workspace-write") return Profile::kWorkspaceWrite;
  if (text == "full-access") return Profile::kFullAccess;
  return std::nullopt;
}

}  // namespace omk::sandbox
