#include "sandbox/sandbox.h"

#include <linux/magic.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.h"
#include "sandbox/kernel_support.h"
#include "sandbox/mount_plan.h"
#include "sandbox/sandbox_child.h"

namespace omk::sandbox {
namespace fs = std::filesystem;

namespace {

fs::path existing_directory(const fs::path& path, const std::string& what) {
  std::error_code ec;
  fs::path real = fs::canonical(path, ec);
  if (ec || !fs::is_directory(real, ec)) {
    throw usage_error(
        fmt::format("{} {} does not exist or is not a directory", what, path.string()));
  }
  return real;
}

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

std::unique_ptr<Sandbox> Sandbox::prepare(const SandboxRequest& request) {
  std::unique_ptr<Sandbox> sandbox(new Sandbox());
  SandboxRequest& r = sandbox->request_;
  r = request;
  bool sandboxed = r.profile != Profile::kFullAccess && r.adapter_sandbox.empty();
  if (r.require && !sandboxed) {
    throw policy_error(r.adapter_sandbox.empty()
                           ? "the sandbox is required (--require-sandbox / sandbox.require) but "
                             "the profile is full-access, which runs without one"
                           : fmt::format("the sandbox is required (--require-sandbox / "
                                         "sandbox.require) but {} runs its own sandbox, which "
                                         "omk cannot verify",
                                         r.adapter_sandbox));
  }
  r.workspace = existing_directory(r.workspace, "workspace");
  if (r.profile == Profile::kWorkspaceWrite && r.workspace == "/") {
    throw usage_error(
        "the workspace is / : that would make the whole filesystem writable; "
        "choose a project directory (-C DIR)");
  }
  if (r.profile == Profile::kReadOnly && !r.writable_roots.empty()) {
    throw usage_error(
        "--writable cannot be used with the read-only profile (it writes only its "
        "private temp dir); use --profile workspace-write");
  }
  for (auto& root : r.writable_roots) root = existing_directory(root, "writable root");
  for (auto& root : r.readable_roots) {
    std::error_code ec;
    fs::path real = fs::canonical(root, ec);
    if (ec) throw usage_error(fmt::format("readable root {} does not exist", root.string()));
    root = real;
  }
  for (const HomeEntry& entry : r.home_entries) validate_home_entry(entry);
  if (sandboxed) {
    // In the sandbox /tmp is the child's own private temp dir, so a tree holding it cannot be
    // granted as it is.
    std::vector<fs::path> roots = {r.workspace};
    roots.insert(roots.end(), r.writable_roots.begin(), r.writable_roots.end());
    roots.insert(roots.end(), r.readable_roots.begin(), r.readable_roots.end());
    const fs::path tmp("/tmp");
    for (const fs::path& root : roots) {
      auto [end, ignored] = std::mismatch(root.begin(), root.end(), tmp.begin(), tmp.end());
      if (end == root.end()) {
        throw usage_error(fmt::format(
            "{} holds /tmp, which is the child's own private temp dir in the sandbox; choose a "
            "directory below it",
            root.string()));
      }
    }
  }

  sandbox->make_private_directory();
  auto home = IsolatedHome::populate(sandbox->home_, r.original_home, r.home_entries,
                                     r.bridge_shell_profiles);
  sandbox->home_grants_ = home.read_grants();
  sandbox->home_skipped_ = home.skipped();
  if (sandboxed && r.profile == Profile::kWorkspaceWrite && kernel_support().mount_namespace) {
    std::vector<fs::path> writable = {r.workspace};
    writable.insert(writable.end(), r.writable_roots.begin(), r.writable_roots.end());
    sandbox->protected_ = plan_protected_paths(writable, {r.workspace});
  }
  sandbox->build();
  if (r.require && !sandbox->enforcement_.missing().empty()) {
    throw policy_error(fmt::format(
        "the sandbox is required (--require-sandbox / sandbox.require) but this machine lacks: "
        "{}; run `omk sandbox probe` for details",
        fmt::join(sandbox->enforcement_.missing(), "; ")));
  }
  return sandbox;
}

// Without an explicit place, a tmpfs: creating and removing a child's HOME and TMPDIR there costs
// microseconds, where a busy disk's journal costs milliseconds per spawn.
fs::path default_scratch_base() {
  struct statfs info {};
  if (::statfs("/dev/shm", &info) == 0 && info.f_type == TMPFS_MAGIC &&
      ::access("/dev/shm", W_OK) == 0) {
    return "/dev/shm";
  }
  return "/tmp";
}

// Removes everything under `dir`, also what a child left without write permission; symlinks
// are removed, never followed.
void remove_private_tree(const fs::path& dir) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
    }
  }
  fs::remove_all(dir, ec);
}

// An omk that was killed (SIGKILL, power loss) could not remove its children's private
// directories; they are named after its pid, so the next omk removes those whose omk is gone.
// Once per process and place: one directory listing.
void sweep_abandoned(const fs::path& base) {
  static std::mutex mutex;
  static std::set<fs::path> swept;
  std::lock_guard lock(mutex);
  if (!swept.insert(base).second) return;
  {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(base, ec)) {
      std::string name = entry.path().filename().string();
      if (name.rfind("omk-sandbox-", 0) != 0) continue;
      long pid = std::strtol(name.c_str() + 12, nullptr, 10);
      struct stat st {};
      if (pid <= 0 || ::lstat(entry.path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode) ||
          st.st_uid != ::geteuid()) {
        continue;
      }
      if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
        remove_private_tree(entry.path());
    }
  }
}

void Sandbox::make_private_directory() {
  fs::path base = request_.scratch_base;
  std::error_code ec;
  if (base.empty() || !fs::is_directory(base, ec)) base = default_scratch_base();
  sweep_abandoned(base);
  std::string pattern = (base / fmt::format("omk-sandbox-{}-XXXXXX", ::getpid())).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    throw UserError(ExitCode::kFailed,
                    fmt::format("cannot create the child's private directory under {}: {} (set "
                                "TMPDIR to a writable directory)",
                                base.string(), std::strerror(errno)));
  }
  scratch_ = fs::canonical(buffer.data());
  home_ = scratch_ / "home";
  tmp_ = scratch_ / "tmp";
  for (const fs::path& dir : {home_, tmp_}) {
    fs::create_directory(dir);
    fs::permissions(dir, fs::perms::owner_all);  // 0700 whatever the umask
  }
}

Sandbox::~Sandbox() {
  if (!scratch_.empty()) remove_private_tree(scratch_);
  if (protected_) {
    std::error_code ec;
    for (auto it = protected_->created.rbegin(); it != protected_->created.rend(); ++it) {
      fs::remove(*it, ec);  // only when still empty
    }
  }
}

const process::ChildSetup* Sandbox::child_setup() const {
  return child_.get();
}

void Sandbox::apply_to_environment(EnvMap& env) const {
  env["HOME"] = home_.string();
  for (const char* name : {"TMPDIR", "TMP", "TEMP"}) env[name] = tmp_.string();
  for (const char* name : {"OMK_ORIGINAL_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
                           "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"}) {
    env.erase(name);
  }
}

Sandbox::Degrade Sandbox::degrade(const std::string& step, const std::string& reason) {
  Unavailable what;
  if (starts_with(step, SandboxChild::kNamespaceStepPrefix)) {
    what = Unavailable::kNamespaces;
  } else if (step == MountPlan::kProcStep) {
    what = Unavailable::kPrivateProc;
  } else if (starts_with(step, MountPlan::kStepPrefix)) {
    what = Unavailable::kMountNamespace;
  } else {
    return Degrade::kNotALayer;
  }
  mark_unavailable(what, reason);
  if (request_.require) return Degrade::kRefused;
  build();
  return Degrade::kRetry;
}

}  // namespace omk::sandbox
