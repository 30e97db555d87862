#pragma once

#include <string>

namespace omk::sandbox {

// What this kernel (and this process's place in it) lets omk use. Cheap to compute, cached for
// the process. Namespaces are assumed to work unless a sysctl says they cannot; a spawn that
// proves otherwise marks them unavailable here, so later spawns do not try again.
struct KernelSupport {
  int landlock_abi = 0;
  bool seccomp = false;
  bool namespaces = false;      // mount, PID, network and IPC namespaces can be created
  bool user_namespace = false;  // ... inside a new user namespace (needed unless root)
  bool mount_namespace = false;
  bool private_proc = false;  // a fresh /proc can be mounted for the PID namespace
  bool running_as_root = false;
  std::string namespace_problem;  // why namespaces (or a part of them) are off
};

KernelSupport kernel_support();

enum class Unavailable { kLandlock, kNamespaces, kMountNamespace, kPrivateProc };
void mark_unavailable(Unavailable what, const std::string& reason);
// Forgets what spawns found out and detects again (tests; a long-lived process after a change).
void reset_kernel_support();

// The kernel's release and machine (uname), for reports.
std::string kernel_release();
std::string machine_arch();

}  // namespace omk::sandbox
