#pragma once

#include <memory>
#include <string>
#include <vector>

#include "process/child_setup.h"
#include "sandbox/landlock.h"
#include "sandbox/mount_plan.h"
#include "sandbox/seccomp_filter.h"

namespace omk::sandbox {

// The sandbox's half of a spawn, all decided before fork. In the first child: enter the
// namespaces (the clone flags), map our uid/gid, make the mounts. In the program's process:
// Landlock grants for mounts made in the child, no_new_privs, no capabilities, no core dumps,
// Landlock, then seccomp last.
class SandboxChild final : public process::ChildSetup {
 public:
  static constexpr const char* kNamespaceStepPrefix = "namespaces";

  struct LateGrant {
    std::string path;
    landlock::Access access;
  };

  unsigned long clone_flags_value = 0;
  bool user_namespace = false;
  std::string uid_map;  // "<uid> <uid> 1\n": the same ids inside, so file ownership reads true
  std::string gid_map;
  MountPlan mounts;
  std::vector<LateGrant> late_grants;
  std::shared_ptr<landlock::Ruleset> ruleset;              // null: no Landlock here
  std::shared_ptr<const seccomp::Program> syscall_filter;  // null: no seccomp here
  int last_capability = 40;

  unsigned long clone_flags() const noexcept override { return clone_flags_value; }
  bool wants_supervisor() const noexcept override;
  int prepare_in_child(const char** failed_step) const noexcept override;
  int restrict_in_child(const char** failed_step) const noexcept override;
};

// /proc/sys/kernel/cap_last_cap (40 when unreadable).
int last_capability();

}  // namespace omk::sandbox
