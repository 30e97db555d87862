#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/environment.h"
#include "process/child_setup.h"
#include "sandbox/enforcement.h"
#include "sandbox/isolated_home.h"
#include "sandbox/profile.h"
#include "sandbox/protected_paths.h"

namespace omk::sandbox {

class SandboxChild;

struct SandboxRequest {
  Profile profile = Profile::kWorkspaceWrite;
  bool allow_network = false;
  std::filesystem::path workspace;                    // must exist; writable under workspace-write
  std::vector<std::filesystem::path> writable_roots;  // more writable trees (workspace-write only)
  std::vector<std::filesystem::path>
      readable_roots;  // more read-only trees (toolchains in odd places)
  // What the adapter needs from the real HOME in the child's private one (see HomeEntry).
  std::vector<HomeEntry> home_entries;
  std::filesystem::path original_home;  // the user's real HOME; never readable as a whole
  bool bridge_shell_profiles = false;   // OMK_ISOLATED_HOME_BRIDGE_SHELL_PROFILES=1
  // Refuse (exit 3, naming the layer) rather than run with a layer missing.
  bool require = false;
  // Non-empty: this adapter runs its own sandbox (Codex's bubblewrap + seccomp) that would
  // break inside omk's (nested user namespaces, mount, Landlock). omk then applies only the
  // scrubbed environment, the private HOME and TMPDIR and process hygiene, and reports the run
  // as delegated. The providers layer decides per adapter; `require` refuses delegation.
  std::string adapter_sandbox;
  // Where the private directory (HOME + TMPDIR) is made: omk's $TMPDIR when the user set one,
  // else /dev/shm when it is a writable tmpfs, else /tmp.
  std::filesystem::path scratch_base;
};

// The sandbox of one child: its private HOME and TMPDIR, Landlock ruleset, seccomp program,
// namespaces and mounts, all prepared before fork, plus the report of what is enforced.
// One Sandbox per child; destroying it removes the private directory.
class Sandbox {
 public:
  // Throws UserError: exit 2 for bad input (a workspace that does not exist), exit 3 when
  // `require` is set and a layer is missing here.
  static std::unique_ptr<Sandbox> prepare(const SandboxRequest& request);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // What the process layer applies between fork and exec; null when there is nothing to apply
  // (full access, delegated).
  const process::ChildSetup* child_setup() const;
  // HOME, TMPDIR/TMP/TEMP point at the private ones; OMK_ORIGINAL_HOME and the XDG base
  // directories (which would lead back into the real HOME) are removed.
  void apply_to_environment(EnvMap& env) const;

  const std::filesystem::path& home() const { return home_; }
  const std::filesystem::path& temp_dir() const { return tmp_; }
  const Enforcement& enforcement() const { return enforcement_; }
  const SandboxRequest& request() const { return request_; }

  enum class Degrade { kRetry, kNotALayer, kRefused };
  // A spawn failed at `step` before exec (the kernel refused a namespace or mount). Drops that
  // layer (remembered for the process) and says whether to retry; kRefused when `require`
  // forbids running without it.
  Degrade degrade(const std::string& step, const std::string& reason);

 private:
  Sandbox() = default;
  void make_private_directory();
  void build();
  void plan_mounts(SandboxChild& child, bool pid_namespace);

  SandboxRequest request_;
  std::filesystem::path scratch_;
  std::filesystem::path home_;
  std::filesystem::path tmp_;
  std::vector<std::filesystem::path> home_grants_;
  std::vector<std::string> home_skipped_;
  std::optional<ProtectedPaths> protected_;
  std::unique_ptr<SandboxChild> child_;
  bool private_tmp_ = false;
  Enforcement enforcement_;
};

}  // namespace omk::sandbox
