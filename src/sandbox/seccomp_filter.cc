#include "sandbox/seccomp_filter.h"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <mutex>
#include <stdexcept>

namespace omk::sandbox::seccomp {
namespace {

// Closes a libseccomp context on every path.
struct Context {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  ~Context() {
    if (ctx) seccomp_release(ctx);
  }
};

void deny(scmp_filter_ctx ctx, std::string_view name) {
  int number = seccomp_syscall_resolve_name(std::string(name).c_str());
  if (number == __NR_SCMP_ERROR) return;  // not a syscall on this architecture
  if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), number, 0) < 0) {
    throw std::runtime_error("seccomp: cannot add a rule for " + std::string(name));
  }
}

void check(int result, const char* what) {
  if (result < 0) throw std::runtime_error(std::string("seccomp: ") + what);
}

std::vector<sock_filter> export_bpf(scmp_filter_ctx ctx) {
  // libseccomp 2.5 exports to a descriptor only; a memfd keeps it off the filesystem.
  int fd = static_cast<int>(::syscall(SYS_memfd_create, "omk-seccomp", MFD_CLOEXEC));
  if (fd < 0) throw std::runtime_error("seccomp: memfd_create failed");
  std::vector<sock_filter> filter;
  int exported = seccomp_export_bpf(ctx, fd);
  off_t size = ::lseek(fd, 0, SEEK_END);
  if (exported == 0 && size > 0 && size % static_cast<off_t>(sizeof(sock_filter)) == 0) {
    filter.resize(static_cast<size_t>(size) / sizeof(sock_filter));
    if (::pread(fd, filter.data(), static_cast<size_t>(size), 0) != size) filter.clear();
  }
  ::close(fd);
  if (filter.empty()) throw std::runtime_error("seccomp: cannot export the filter");
  return filter;
}

}  // namespace

bool available() {
  if (::prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0) return false;
  uint32_t action = SECCOMP_RET_ERRNO;
  return ::syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

const std::vector<std::string_view>& always_denied_syscalls() {
  static const std::vector<std::string_view> names = {
      // reading or steering other processes
      "ptrace", "process_vm_readv", "process_vm_writev",
      // io_uring can open sockets and files without the syscalls filtered here
      "io_uring_setup", "io_uring_enter", "io_uring_register",
      // kernel attack surface no build needs
      "bpf", "perf_event_open", "userfaultfd", "kexec_load", "kexec_file_load", "init_module",
      "finit_module", "delete_module", "reboot", "swapon", "swapoff", "keyctl", "add_key",
      "request_key",
      // changing the filesystem view (the mount namespace is omk's to set up)
      "mount", "umount", "umount2", "pivot_root", "open_tree", "move_mount", "fsopen", "fsconfig",
      "fsmount", "fspick", "mount_setattr"};
  return names;
}

const std::vector<std::string_view>& denied_ioctls() {
  static const std::vector<std::string_view> names = {"TIOCSTI", "TIOCLINUX"};
  return names;
}

std::shared_ptr<const Program> compile(bool restrict_network) {
  Context context;
  if (!context.ctx) throw std::runtime_error("seccomp: seccomp_init failed");
  scmp_filter_ctx ctx = context.ctx;
  // omk sets no_new_privs itself, at the point it chooses.
  check(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0), "attribute NNP");
  // Calls through another architecture's syscall table would skip every rule: refuse them.
  check(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(ENOSYS)),
        "attribute BADARCH");
  for (auto name : always_denied_syscalls()) deny(ctx, name);
  // The request argument is an int in the kernel: compare only its low 32 bits, or a caller
  // could set the high ones and slip past.
  for (unsigned long request :
       {static_cast<unsigned long>(TIOCSTI), static_cast<unsigned long>(TIOCLINUX)}) {
    check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                           SCMP_A1_64(SCMP_CMP_MASKED_EQ, 0xffffffffULL, request)),
          "ioctl rule");
  }
  if (restrict_network) {
    // Only Unix sockets: no IPv4/IPv6, no raw packets, no netlink, no vsock.
    check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 1,
                           SCMP_A0_64(SCMP_CMP_NE, AF_UNIX)),
          "socket rule");
    check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socketpair), 1,
                           SCMP_A0_64(SCMP_CMP_NE, AF_UNIX)),
          "socketpair rule");
  }
  auto program = std::make_shared<Program>();
  program->filter_ = export_bpf(ctx);
  return program;
}

std::shared_ptr<const Program> Program::get(bool restrict_network) {
  static std::mutex mutex;
  static std::map<bool, std::shared_ptr<const Program>> cache;
  std::lock_guard lock(mutex);
  auto& slot = cache[restrict_network];
  if (!slot) slot = compile(restrict_network);
  return slot;
}

int Program::install() const noexcept {
  sock_fprog program{};
  program.len = static_cast<unsigned short>(filter_.size());
  program.filter = const_cast<sock_filter*>(filter_.data());
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) < 0) return errno;
  return 0;
}

}  // namespace omk::sandbox::seccomp
