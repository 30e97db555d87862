#include "sandbox/kernel_support.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <mutex>

#include "sandbox/landlock.h"
#include "sandbox/seccomp_filter.h"

namespace omk::sandbox {
namespace {

std::mutex& support_mutex() {
  static std::mutex mutex;
  return mutex;
}

// -1 when the file is absent or unreadable.
long read_number(const char* path) {
  std::ifstream in(path);
  long value = -1;
  if (!(in >> value)) return -1;
  return value;
}

KernelSupport detect() {
  KernelSupport support;
  support.landlock_abi = landlock::abi_version();
  support.seccomp = seccomp::available();
  support.running_as_root = ::geteuid() == 0;
  support.user_namespace = true;
  if (read_number("/proc/sys/user/max_user_namespaces") == 0) {
    support.user_namespace = false;
    support.namespace_problem = "user namespaces are disabled (user.max_user_namespaces = 0)";
  } else if (!support.running_as_root &&
             read_number("/proc/sys/kernel/unprivileged_userns_clone") == 0) {
    support.user_namespace = false;
    support.namespace_problem =
        "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0)";
  }
  // Without a user namespace only root may create the others.
  support.namespaces = support.user_namespace || support.running_as_root;
  support.mount_namespace = support.namespaces;
  support.private_proc = support.namespaces;
  return support;
}

KernelSupport& cached() {
  static KernelSupport support = detect();
  return support;
}

}  // namespace

KernelSupport kernel_support() {
  std::lock_guard lock(support_mutex());
  return cached();
}

void mark_unavailable(Unavailable what, const std::string& reason) {
  std::lock_guard lock(support_mutex());
  KernelSupport& support = cached();
  switch (what) {
    case Unavailable::kLandlock:
      support.landlock_abi = 0;
      return;
    case Unavailable::kNamespaces:
      support.namespaces = false;
      support.mount_namespace = false;
      support.private_proc = false;
      break;
    case Unavailable::kMountNamespace:
      support.mount_namespace = false;
      support.private_proc = false;
      break;
    case Unavailable::kPrivateProc:
      support.private_proc = false;
      break;
  }
  support.namespace_problem = reason;
}

void reset_kernel_support() {
  std::lock_guard lock(support_mutex());
  cached() = detect();
}

std::string kernel_release() {
  utsname name{};
  return ::uname(&name) == 0 ? name.release : "unknown";
}

std::string machine_arch() {
  utsname name{};
  return ::uname(&name) == 0 ? name.machine : "unknown";
}

}  // namespace omk::sandbox
