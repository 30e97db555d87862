#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace omk::sandbox {

// Something an adapter needs from the user's real HOME to authenticate, e.g. ".codex/auth.json"
// for Codex or ".kimi/credentials" for Kimi. Nothing else of the real HOME reaches the child.
struct HomeEntry {
  enum class Kind {
    // A symlink to the original; the sandbox grants the child read (never write) access to the
    // target, so the agent cannot modify the original credential store. Without Landlock
    // (full-access, a kernel without it) the link is as writable as the original: prefer kCopy
    // where a stale copy is acceptable.
    kReadOnlyLink,
    // A private copy (files 0600, directories 0700); symlinks inside are not followed.
    kCopy,
  };
  std::string path;  // relative to HOME; no "..", not absolute
  Kind kind = Kind::kReadOnlyLink;
  bool required = false;  // missing: the run fails with a message naming it
};

// Fills a fresh private HOME. The caller (Sandbox) owns the directory and removes it.
class IsolatedHome {
 public:
  // `home` exists, is empty and 0700. Shell profiles (.bashrc, .profile, .zshrc...) are bridged
  // only when `bridge_shell_profiles` (OMK_ISOLATED_HOME_BRIDGE_SHELL_PROFILES=1).
  static IsolatedHome populate(const std::filesystem::path& home,
                               const std::filesystem::path& original_home,
                               const std::vector<HomeEntry>& entries, bool bridge_shell_profiles);

  // Originals the child must be able to read (link targets, bridged profiles).
  const std::vector<std::filesystem::path>& read_grants() const { return read_grants_; }
  // Declared entries that were absent (and not required).
  const std::vector<std::string>& skipped() const { return skipped_; }

 private:
  std::vector<std::filesystem::path> read_grants_;
  std::vector<std::string> skipped_;
};

// Throws UserError (exit 2) for an entry that is absolute, empty or climbs out with "..".
void validate_home_entry(const HomeEntry& entry);

// The profiles bridged when asked, and the POSIX sh snippet that replaces each: it sources the
// original with HOME pointing at the real home, then restores the private HOME. The original
// home is written into the snippet; OMK_ORIGINAL_HOME is never exported to the child.
const std::vector<std::string_view>& bridged_shell_profiles();
std::string shell_profile_bridge(const std::filesystem::path& original_home, std::string_view name);

}  // namespace omk::sandbox
