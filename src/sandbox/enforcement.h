#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/json_output.h"
#include "sandbox/profile.h"

namespace omk::sandbox {

// One isolation mechanism and whether this child gets it.
struct LayerStatus {
  std::string name;  // landlock, seccomp, namespaces, protected_paths, private_tmp, private_proc,
                     // no_new_privs, capabilities
  bool wanted = false;  // the profile asks for it
  bool enforced = false;
  std::string detail;  // what it does here, or why it is missing
};

// What a sandboxed child gets, layer by layer: shown by `omk sandbox run --json`, the probe,
// and recorded with every run.
struct Enforcement {
  Profile profile = Profile::kWorkspaceWrite;
  bool network_allowed = false;
  std::vector<std::string> network_blocked_by;  // mechanisms that keep the network off
  std::string delegated_to;                     // adapter that runs its own sandbox, or ""
  std::vector<LayerStatus> layers;
  std::vector<std::string> writable;  // roots the child may write (besides protected paths)
  std::vector<std::string> readable;  // roots beyond the system directories
  std::vector<std::string> protected_paths;
  std::filesystem::path home;
  std::filesystem::path tmpdir;
  std::vector<std::string> notes;

  // Layers the profile wants that this child does not get, as "name: why".
  std::vector<std::string> missing() const;
  bool complete() const {
    return missing().empty() && delegated_to.empty() && profile != Profile::kFullAccess;
  }
  LayerStatus* layer(const std::string& name);
  const LayerStatus* layer(const std::string& name) const;
  // One line for humans: "workspace-write, network off: landlock ABI 7, seccomp, namespaces...".
  std::string summary() const;
};

Json to_json(const Enforcement& enforcement);

}  // namespace omk::sandbox
