// Sandbox::build: turns the request and what the kernel offers into the child's setup (Landlock
// grants, seccomp program, namespaces, mounts) and the report of what is enforced.
#include <sched.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <fstream>
#include <set>

#include "sandbox/kernel_support.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandbox_child.h"

namespace omk::sandbox {
namespace fs = std::filesystem;

namespace {

using landlock::Access;

// What a toolchain needs to read and run: never /home, /root, /tmp, /var, /run or /media.
const std::vector<const char*> kSystemReadable = {"/usr",   "/etc",    "/lib", "/lib32",
                                                  "/lib64", "/libx32", "/bin", "/sbin",
                                                  "/opt",   "/sys",    "/proc"};
// Device nodes a program may open; every other node (disks, for one) stays closed.
const std::vector<const char*> kDevices = {"/dev/null",    "/dev/zero", "/dev/full", "/dev/random",
                                           "/dev/urandom", "/dev/tty",  "/dev/ptmx", "/dev/pts"};

bool is_under(const fs::path& path, const fs::path& root) {
  auto [root_end, path_it] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

bool is_dir(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

int cached_last_capability() {
  static const int value = last_capability();
  return value;
}

// A path the child needs, and whether it may write it.
struct Needed {
  fs::path path;
  bool writable;
};

}  // namespace

void Sandbox::plan_mounts(SandboxChild& child, bool pid_namespace) {
  const KernelSupport kernel = kernel_support();
  const SandboxRequest& r = request_;
  bool writes = r.profile == Profile::kWorkspaceWrite;
  std::vector<Needed> needed = {{r.workspace, writes}, {scratch_, true}};
  for (const auto& root : r.writable_roots) needed.push_back({root, true});
  for (const auto& root : r.readable_roots) needed.push_back({root, false});
  for (const auto& grant : home_grants_) needed.push_back({grant, false});
  std::sort(needed.begin(), needed.end(),
            [](const Needed& a, const Needed& b) { return a.path < b.path; });

  child.mounts.make_private();
  // A private /tmp for tools that hard-code it: the child's TMPDIR, mounted over /tmp. What
  // the child needs from under the real /tmp (a workspace there, its own HOME) is carried
  // into it at the same path first: writable where it is writable, read-only otherwise (the
  // mount flag holds even though Landlock sees the private /tmp's write grant above it).
  private_tmp_ = false;
  private_tmp_problem_.clear();
  bool covers_needed = std::any_of(needed.begin(), needed.end(),
                                   [](const Needed& n) { return is_under("/tmp", n.path); });
  if (!is_dir("/tmp") || fs::is_symlink("/tmp")) {
    private_tmp_problem_ = "/tmp is not a directory here";
  } else if (covers_needed) {
    private_tmp_problem_ = "the workspace or a root is /tmp itself (or contains it)";
  } else {
    for (const Needed& n : needed) {
      if (!is_under(n.path, "/tmp")) continue;
      fs::path target = tmp_ / n.path.lexically_relative("/tmp");
      std::error_code ec;
      if (is_dir(n.path)) {
        fs::create_directories(target, ec);
      } else {
        fs::create_directories(target.parent_path(), ec);
        std::ofstream touch(target);
      }
      child.mounts.bind(n.path, target, !n.writable,
                        "carry " + n.path.string() + " into the private /tmp");
    }
    child.mounts.bind(tmp_, "/tmp", false, "the private /tmp");
    private_tmp_ = true;
  }
  if (protected_) {
    for (const auto& dir : protected_->pinned)
      child.mounts.bind(dir, dir, false, "pin " + dir.string());
    for (const auto& path : protected_->read_only)
      child.mounts.bind(path, path, true, "protect " + path.string());
  }
  bool needs_run = std::any_of(needed.begin(), needed.end(),
                               [](const Needed& n) { return is_under(n.path, "/run"); });
  if (!r.allow_network && is_dir("/run") && !needs_run) {
    // Daemon sockets (docker, dbus, ...) live here; connecting to a Unix socket by path is not
    // something Landlock or seccomp can refuse.
    child.mounts.tmpfs("/run", "mode=0755,size=64k", "hide /run and the daemon sockets in it",
                       false);
  }
  if (is_dir("/dev/shm")) {
    child.mounts.tmpfs("/dev/shm", "mode=1777", "a private /dev/shm", true);
    child.late_grants.push_back({"/dev/shm", Access::kReadWrite});
  }
  if (pid_namespace && kernel.private_proc) {
    child.mounts.proc();
    child.late_grants.push_back({"/proc", Access::kReadExec});
  }
}

void Sandbox::build() {
  const KernelSupport kernel = kernel_support();
  const SandboxRequest& r = request_;
  bool sandboxed = r.profile != Profile::kFullAccess && r.adapter_sandbox.empty();
  bool writes = r.profile == Profile::kWorkspaceWrite;
  bool net = r.allow_network;

  Enforcement& e = enforcement_;
  e = Enforcement();
  e.profile = r.profile;
  e.network_allowed = net || !sandboxed;
  e.delegated_to = r.adapter_sandbox;
  e.home = home_;
  e.tmpdir = tmp_;
  e.writable = {home_.string(), tmp_.string()};
  e.readable = {};
  if (writes || !sandboxed) {
    e.writable.insert(e.writable.begin(), r.workspace.string());
  } else {
    e.readable.push_back(r.workspace.string());
  }
  for (const auto& root : r.writable_roots) e.writable.push_back(root.string());
  for (const auto& root : r.readable_roots) e.readable.push_back(root.string());
  for (const auto& grant : home_grants_) e.readable.push_back(grant.string());
  for (const auto& skipped : home_skipped_)
    e.notes.push_back("HOME entry ~/" + skipped + " is absent and was skipped");
  if (!sandboxed) {
    child_.reset();
    if (!r.adapter_sandbox.empty()) {
      e.notes.push_back("omk applies no OS sandbox: " + r.adapter_sandbox + " enforces its own");
    }
    return;
  }

  auto child = std::make_unique<SandboxChild>();
  child->last_capability = cached_last_capability();

  // Landlock: an allowlist; the real HOME and /tmp are simply never granted.
  std::vector<landlock::PathGrant> grants;
  for (const char* path : kSystemReadable) grants.push_back({path, Access::kReadExec});
  grants.push_back({"/dev", Access::kList});
  for (const char* path : kDevices) grants.push_back({path, Access::kDevice});
  grants.push_back({r.workspace, writes ? Access::kReadWrite : Access::kReadExec});
  for (const auto& root : r.writable_roots) grants.push_back({root, Access::kReadWrite});
  for (const auto& root : r.readable_roots) grants.push_back({root, Access::kReadExec});
  for (const auto& grant : home_grants_) grants.push_back({grant, Access::kReadExec});
  grants.push_back({home_, Access::kReadWrite});
  grants.push_back({tmp_, Access::kReadWrite});
  if (net) {
    std::error_code ec;
    fs::path resolv = fs::canonical("/etc/resolv.conf", ec);  // often a link into /run
    if (!ec) grants.push_back({resolv, Access::kReadExec});
  }
  LayerStatus landlock_layer{"landlock", true, false, ""};
  if (kernel.landlock_abi > 0) {
    child->ruleset = landlock::Ruleset::build(kernel.landlock_abi, grants, {!net, true, !net});
    landlock_layer.enforced = true;
    landlock_layer.detail = fmt::format(
        "ABI {}: reads only the system directories, the workspace, the readable roots and the "
        "private HOME and TMPDIR; writes only {}",
        kernel.landlock_abi,
        writes ? "the workspace, the writable roots, HOME and TMPDIR" : "HOME and TMPDIR");
  } else {
    landlock_layer.detail =
        "this kernel has no Landlock (Linux 5.13+ with landlock in the lsm= list)";
  }

  LayerStatus seccomp_layer{"seccomp", true, false, ""};
  if (kernel.seccomp) {
    child->syscall_filter = seccomp::Program::get(!net);
    seccomp_layer.enforced = true;
    seccomp_layer.detail = fmt::format("{} syscalls and the {} ioctls refused with EPERM{}",
                                       seccomp::always_denied_syscalls().size(),
                                       fmt::join(seccomp::denied_ioctls(), "/"),
                                       net ? "" : "; sockets other than AF_UNIX refused");
  } else {
    seccomp_layer.detail = "this kernel cannot load seccomp filters";
  }

  LayerStatus ns_layer{"namespaces", true, false, ""};
  bool pid_namespace = false;
  if (kernel.namespaces) {
    unsigned long flags = CLONE_NEWPID | CLONE_NEWIPC;
    std::vector<std::string> names;
    if (kernel.user_namespace) {
      flags |= CLONE_NEWUSER;
      names.push_back("user");
      child->user_namespace = true;
      child->uid_map = fmt::format("{0} {0} 1\n", ::geteuid());
      child->gid_map = fmt::format("{0} {0} 1\n", ::getegid());
    }
    if (kernel.mount_namespace) {
      flags |= CLONE_NEWNS;
      names.push_back("mount");
    }
    names.push_back("pid");
    if (!net) {
      flags |= CLONE_NEWNET;
      names.push_back("network");
    }
    names.push_back("ipc");
    child->clone_flags_value = flags;
    pid_namespace = true;
    ns_layer.enforced = true;
    ns_layer.detail = fmt::format("new {} namespaces", fmt::join(names, ", "));
    if (!kernel.namespace_problem.empty()) ns_layer.detail += " (" + kernel.namespace_problem + ")";
    if (kernel.mount_namespace) plan_mounts(*child, pid_namespace);
  } else {
    ns_layer.detail = kernel.namespace_problem.empty() ? "namespaces cannot be created here"
                                                       : kernel.namespace_problem;
  }
  std::string no_mount_ns =
      "needs a mount namespace: " +
      (kernel.namespace_problem.empty() ? std::string("not available") : kernel.namespace_problem);

  LayerStatus protected_layer{"protected_paths", writes, false, ""};
  if (writes) {
    if (kernel.mount_namespace && kernel.namespaces && protected_) {
      protected_layer.enforced = true;
      for (const auto& path : protected_->read_only) e.protected_paths.push_back(path.string());
      protected_layer.detail =
          fmt::format("{} paths read-only inside the writable roots", e.protected_paths.size());
    } else {
      protected_layer.detail = "not enforced: " + no_mount_ns;
    }
  }
  LayerStatus tmp_layer{"private_tmp", true, false, ""};
  if (kernel.mount_namespace && kernel.namespaces && private_tmp_) {
    tmp_layer.enforced = true;
    tmp_layer.detail = "/tmp is the child's private TMPDIR";
  } else {
    tmp_layer.detail = !(kernel.mount_namespace && kernel.namespaces)
                           ? "the shared /tmp is not readable or writable; " + no_mount_ns
                           : "the shared /tmp is not readable or writable: " + private_tmp_problem_;
  }
  LayerStatus proc_layer{"private_proc", true, false, ""};
  if (pid_namespace && kernel.private_proc && kernel.mount_namespace) {
    proc_layer.enforced = true;
    proc_layer.detail = "/proc shows only the child's own processes";
  } else {
    proc_layer.detail = kernel.namespace_problem.empty() ? "needs PID and mount namespaces"
                                                         : kernel.namespace_problem;
  }

  e.layers = {
      landlock_layer,
      seccomp_layer,
      ns_layer,
      protected_layer,
      tmp_layer,
      proc_layer,
      {"no_new_privs", true, true, "set: setuid binaries and file capabilities grant nothing"},
      {"capabilities", true, true, "all dropped (bounding, ambient, effective, permitted)"}};
  if (!net) {
    if (child->syscall_filter) e.network_blocked_by.push_back("seccomp: socket() only for AF_UNIX");
    if (child->clone_flags_value & CLONE_NEWNET)
      e.network_blocked_by.push_back("network namespace without interfaces");
    if (child->ruleset && kernel.landlock_abi >= 4)
      e.network_blocked_by.push_back("landlock: no TCP bind or connect");
    if (e.network_blocked_by.empty()) {
      e.layers.push_back({"network", true, false, "nothing here can keep the network off"});
    }
  }
  if (kernel.running_as_root) {
    e.notes.push_back(
        "running as root: files readable by root's uid through the system directories (e.g. "
        "/etc/shadow) stay readable; run omk as an ordinary user");
  }
  if (!kernel.landlock_abi && !home_grants_.empty()) {
    e.notes.push_back("without Landlock the HOME links to the originals are writable");
  }
  child_ = std::move(child);
}

}  // namespace omk::sandbox
