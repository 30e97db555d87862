// Runs between fork and exec: async-signal-safe calls only (raw syscalls, open/write/close).
#include "sandbox/sandbox_child.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

namespace omk::sandbox {
namespace {

int write_proc_file(const char* path, const std::string& text) noexcept {
  int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  int result = 0;
  if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) result = errno;
  ::close(fd);
  return result;
}

int drop_capabilities(int last_capability) noexcept {
  for (int cap = 0; cap <= last_capability; ++cap) {
    // EPERM: we hold no CAP_SETPCAP, hence no capabilities worth dropping; no_new_privs keeps
    // setuid and file capabilities from adding any at exec.
    if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL && errno != EPERM)
      return errno;
  }
  ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (::syscall(SYS_capset, &header, data) < 0) return errno;
  return 0;
}

}  // namespace

int last_capability() {
  std::ifstream in("/proc/sys/kernel/cap_last_cap");
  int value = 40;
  in >> value;
  return value > 0 && value < 64 ? value : 40;
}

bool SandboxChild::wants_supervisor() const noexcept {
  return (clone_flags_value & CLONE_NEWPID) != 0;
}

int SandboxChild::prepare_in_child(const char** failed_step) const noexcept {
  if (user_namespace) {
    int error = write_proc_file("/proc/self/setgroups", "deny");
    if (error != 0 && error != ENOENT) {
      *failed_step = "namespaces: deny setgroups in the user namespace";
      return error;
    }
    if ((error = write_proc_file("/proc/self/uid_map", uid_map)) != 0) {
      *failed_step = "namespaces: write the user namespace's uid_map";
      return error;
    }
    if ((error = write_proc_file("/proc/self/gid_map", gid_map)) != 0) {
      *failed_step = "namespaces: write the user namespace's gid_map";
      return error;
    }
  }
  return mounts.apply(failed_step);
}

int SandboxChild::restrict_in_child(const char** failed_step) const noexcept {
  if (ruleset) {
    for (const LateGrant& grant : late_grants) {
      if (int error = ruleset->add_late_grant(grant.path.c_str(), grant.access); error != 0) {
        *failed_step = "landlock: grant access to a mount made for the sandbox";
        return error;
      }
    }
  }
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
    *failed_step = "no_new_privs";
    return errno;
  }
  rlimit no_core{0, 0};
  if (::setrlimit(RLIMIT_CORE, &no_core) < 0) {
    *failed_step = "disable core dumps";
    return errno;
  }
  if (int error = drop_capabilities(last_capability); error != 0) {
    *failed_step = "drop capabilities";
    return error;
  }
  if (ruleset) {
    if (int error = ruleset->restrict_self(); error != 0) {
      *failed_step = "landlock: restrict";
      return error;
    }
  }
  if (syscall_filter) {
    if (int error = syscall_filter->install(); error != 0) {
      *failed_step = "seccomp: install the syscall filter";
      return error;
    }
  }
  return 0;
}

}  // namespace omk::sandbox
