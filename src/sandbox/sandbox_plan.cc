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

// A tree the child sees, and whether it may write it.
struct Needed {
  fs::path path;
  bool writable;
  bool recursive = true;
};

fs::path inside(const fs::path& root, const fs::path& path) {
  return root / path.relative_path();
}

}  // namespace

// The child's filesystem view: a fresh root holding only what it is granted (the system
// directories, the workspace and roots, its private HOME and TMPDIR), each a bind mount that is
// read-only unless the child may write it. What is not granted does not exist for the child:
// the real HOME, /run and the daemon sockets in it, other users' files. This holds even without
// Landlock, and covers what Landlock cannot refuse (connecting to a Unix socket by its path).
// /tmp is the child's private TMPDIR; protected paths are read-only binds over the writable ones.
void Sandbox::plan_mounts(SandboxChild& child, bool pid_namespace) {
  const KernelSupport kernel = kernel_support();
  const SandboxRequest& r = request_;
  bool writes = r.profile == Profile::kWorkspaceWrite;
  fs::path root = scratch_ / "root";  // the new root's mount point; stays empty on the host
  std::error_code ec;
  fs::create_directory(root, ec);

  std::vector<Needed> needed;
  std::vector<std::pair<fs::path, std::string>> links;  // /bin -> usr/bin on merged-/usr systems
  for (const char* system : kSystemReadable) {
    fs::path path(system);
    if (path == "/proc" || !fs::exists(fs::symlink_status(path, ec))) continue;
    if (fs::is_symlink(fs::symlink_status(path, ec))) {
      fs::path target = fs::canonical(path, ec);
      if (ec) continue;
      bool target_bound =
          std::any_of(kSystemReadable.begin(), kSystemReadable.end(), [&](const char* other) {
            return !fs::is_symlink(fs::symlink_status(other, ec)) && is_under(target, other);
          });
      if (target_bound) {
        links.emplace_back(path, fs::read_symlink(path, ec).string());
      } else {
        needed.push_back({target, false});
      }
      continue;
    }
    needed.push_back({path, false});
  }
  needed.push_back({"/dev", false});
  needed.push_back({r.workspace, writes});
  needed.push_back({scratch_, true, false});  // not recursive: the new root is mounted inside it
  for (const auto& path : r.writable_roots) needed.push_back({path, true});
  for (const auto& path : r.readable_roots) needed.push_back({path, false});
  for (const auto& path : home_grants_) needed.push_back({path, false});
  if (r.allow_network) {
    fs::path resolv = fs::canonical("/etc/resolv.conf", ec);  // often a link into /run
    if (!ec && !is_under(resolv, "/etc")) needed.push_back({resolv, false});
  }
  std::sort(needed.begin(), needed.end(),
            [](const Needed& a, const Needed& b) { return a.path < b.path; });

  MountPlan& m = child.mounts;
  m.make_private();
  m.tmpfs(root, "mode=0755", "a fresh root for the sandbox");
  m.make_mount_point(root / "tmp", true);
  m.bind(tmp_, root / "tmp", false, false, "the private /tmp");
  for (const auto& [link, target] : links) m.symlink(target, inside(root, link));
  for (const Needed& n : needed) {
    fs::path target = inside(root, n.path);
    m.make_mount_point(target, is_dir(n.path));
    m.bind(n.path, target, !n.writable, n.recursive,
           (n.writable ? "" : "read-only ") + n.path.string());
    if (n.path == "/dev" && is_dir("/dev/shm")) {
      // Before anything is bound below it: the private directory may live in /dev/shm.
      m.tmpfs(root / "dev" / "shm", "mode=1777", "a private /dev/shm", true);
      child.late_grants.push_back({"/dev/shm", Access::kReadWrite});
    }
  }
  m.make_mount_point(root / "run", true);  // empty: tools that expect it find it
  if (protected_) {
    for (const auto& dir : protected_->pinned)
      m.bind(dir, inside(root, dir), false, true, "pin " + dir.string());
    for (const auto& path : protected_->read_only) {
      m.bind(path, inside(root, path), true, true, "protect " + path.string());
    }
  }
  m.make_mount_point(root / "proc", true);
  if (pid_namespace && kernel.private_proc) {
    m.proc(root / "proc");
    child.late_grants.push_back({"/proc", Access::kReadExec});
  } else {
    m.bind("/proc", root / "proc", false, true, "/proc");
  }
  m.pivot_into(root);
  // Listing "/" shows only the skeleton of what is granted anyway.
  child.late_grants.push_back({"/", Access::kList});
  private_tmp_ = true;
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
  std::string landlock_problem;
  if (kernel.landlock_abi > 0) {
    try {
      child->ruleset = landlock::Ruleset::build(kernel.landlock_abi, grants, {!net, true, !net});
    } catch (const std::exception& error) {
      landlock_problem = error.what();
    }
  }
  if (child->ruleset) {
    landlock_layer.enforced = true;
    landlock_layer.detail = fmt::format(
        "ABI {}: reads only the system directories, the workspace, the readable roots and the "
        "private HOME and TMPDIR; writes only {}",
        kernel.landlock_abi,
        writes ? "the workspace, the writable roots, HOME and TMPDIR" : "HOME and TMPDIR");
  } else {
    landlock_layer.detail =
        !landlock_problem.empty()
            ? landlock_problem
            : "this kernel has no Landlock (Linux 5.13+ with landlock in the lsm= list)";
  }

  LayerStatus seccomp_layer{"seccomp", true, false, ""};
  std::string seccomp_problem;
  if (kernel.seccomp) {
    try {
      child->syscall_filter = seccomp::Program::get(!net);
    } catch (const std::exception& error) {
      seccomp_problem = error.what();
    }
  }
  if (child->syscall_filter) {
    seccomp_layer.enforced = true;
    seccomp_layer.detail = fmt::format("{} syscalls and the {} ioctls refused with EPERM{}",
                                       seccomp::always_denied_syscalls().size(),
                                       fmt::join(seccomp::denied_ioctls(), "/"),
                                       net ? "" : "; sockets other than AF_UNIX refused");
  } else {
    seccomp_layer.detail =
        !seccomp_problem.empty() ? seccomp_problem : "this kernel cannot load seccomp filters";
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
    ns_layer.detail = kernel.namespace_problem.empty()
                          ? "namespaces cannot be created here"
                          : "the kernel refused them: " + kernel.namespace_problem;
  }
  // Why a layer that needs the mount namespace is missing, said once (the namespaces layer
  // carries the kernel's reason).
  std::string no_mount_ns =
      !kernel.namespaces
          ? "not enforced: needs the namespaces, missing here"
          : "not enforced: the mount namespace is missing here: " + kernel.namespace_problem;

  LayerStatus protected_layer{"protected_paths", writes, false, ""};
  if (writes) {
    if (kernel.mount_namespace && kernel.namespaces && protected_) {
      protected_layer.enforced = true;
      for (const auto& path : protected_->read_only) e.protected_paths.push_back(path.string());
      protected_layer.detail =
          fmt::format("{} paths read-only inside the writable roots", e.protected_paths.size());
    } else {
      protected_layer.detail = no_mount_ns;
    }
  }
  bool view = kernel.mount_namespace && kernel.namespaces;
  LayerStatus view_layer{"filesystem_view", true, view, ""};
  view_layer.detail =
      view ? "a fresh root holding only the system directories, the workspace, the roots and "
             "the private HOME and TMPDIR (read-only unless writable); nothing else exists"
           : no_mount_ns;
  LayerStatus tmp_layer{"private_tmp", true, view && private_tmp_, ""};
  tmp_layer.detail = tmp_layer.enforced ? "/tmp is the child's private TMPDIR"
                                        : no_mount_ns +
                                              " (the shared /tmp is neither readable nor "
                                              "writable; TMPDIR works)";
  LayerStatus proc_layer{"private_proc", true, false, ""};
  if (pid_namespace && kernel.private_proc && kernel.mount_namespace) {
    proc_layer.enforced = true;
    proc_layer.detail = "/proc shows only the child's own processes";
  } else {
    proc_layer.detail = view ? "not enforced: " + kernel.namespace_problem : no_mount_ns;
  }

  e.layers = {
      landlock_layer,
      seccomp_layer,
      ns_layer,
      view_layer,
      protected_layer,
      tmp_layer,
      proc_layer,
      {"no_new_privs", true, true, "set: setuid binaries and file capabilities grant nothing"},
      {"capabilities", true, true, "all dropped (bounding, ambient, effective, permitted)"}};
  if (!net) {
    if (child->syscall_filter) e.network_blocked_by.push_back("seccomp: socket() only for AF_UNIX");
    if (child->clone_flags_value & CLONE_NEWNET)
      e.network_blocked_by.push_back("network namespace (only a loopback interface, down)");
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
