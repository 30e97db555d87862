#include "sandbox/landlock.h"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

// Rights newer than the kernel headers this may be built with (Debian 12 ships 6.1 headers).
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif

namespace omk::sandbox::landlock {
namespace {

constexpr uint64_t kNetBindTcp = 1ULL << 0;
constexpr uint64_t kNetConnectTcp = 1ULL << 1;
constexpr uint64_t kScopeAbstractUnix = 1ULL << 0;
constexpr uint64_t kScopeSignal = 1ULL << 1;

// struct landlock_ruleset_attr as of ABI 6; older kernels are given a prefix of it.
struct RulesetAttr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};

constexpr uint64_t kReadExec =
    LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
constexpr uint64_t kFileRights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                                 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |
                                 LANDLOCK_ACCESS_FS_IOCTL_DEV;

uint64_t fs_rights(int abi) {
  uint64_t rights = (1ULL << 13) - 1;  // ABI 1: execute .. make_sym
  if (abi >= 2) rights |= LANDLOCK_ACCESS_FS_REFER;
  if (abi >= 3) rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
  if (abi >= 5) rights |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
  return rights;
}

uint64_t rights_for(Access access, uint64_t handled) {
  switch (access) {
    case Access::kReadExec:
      return kReadExec & handled;
    case Access::kReadWrite:
      return handled & ~(LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_BLOCK);
    case Access::kList:
      return LANDLOCK_ACCESS_FS_READ_DIR & handled;
    case Access::kDevice:
      return (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE |
              LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV |
              LANDLOCK_ACCESS_FS_READ_DIR) &
             handled;
  }
  return 0;
}

// Async-signal-safe: open, fstat, one syscall, close.
int add_rule(int ruleset, const char* path, uint64_t rights) noexcept {
  int fd = ::open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) return errno;
  struct stat st;
  if (::fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode)) rights &= kFileRights;
  landlock_path_beneath_attr attr{};
  attr.allowed_access = rights;
  attr.parent_fd = fd;
  int result = 0;
  if (rights != 0 &&
      ::syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &attr, 0) < 0) {
    result = errno;
  }
  ::close(fd);
  return result;
}

}  // namespace

int abi_version() {
  long abi = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  return abi < 0 ? 0 : static_cast<int>(abi);
}

std::unique_ptr<Ruleset> Ruleset::build(int abi, const std::vector<PathGrant>& grants,
                                        const Options& options) {
  std::unique_ptr<Ruleset> ruleset(new Ruleset());
  ruleset->abi_ = abi;
  ruleset->handled_fs_ = fs_rights(abi);
  if (abi >= 4 && options.deny_tcp) ruleset->handled_net_ = kNetBindTcp | kNetConnectTcp;
  if (abi >= 6) {
    if (options.scope_signals) ruleset->scoped_ |= kScopeSignal;
    if (options.scope_abstract_unix) ruleset->scoped_ |= kScopeAbstractUnix;
  }
  RulesetAttr attr{ruleset->handled_fs_, ruleset->handled_net_, ruleset->scoped_};
  size_t size = abi >= 6   ? sizeof(uint64_t) * 3
                : abi >= 4 ? sizeof(uint64_t) * 2
                           : sizeof(uint64_t);
  long fd = ::syscall(SYS_landlock_create_ruleset, &attr, size, 0);
  if (fd < 0) throw std::runtime_error("landlock_create_ruleset failed");
  ruleset->fd_ = static_cast<int>(fd);  // close-on-exec, as Landlock makes it
  for (const PathGrant& grant : grants) {
    int error =
        add_rule(ruleset->fd_, grant.path.c_str(), rights_for(grant.access, ruleset->handled_fs_));
    if (error == ENOENT || error == ENOTDIR || error == EACCES) {
      ruleset->skipped_.push_back(grant.path.string());
    } else if (error != 0) {
      throw std::runtime_error("landlock_add_rule failed for " + grant.path.string());
    }
  }
  return ruleset;
}

Ruleset::~Ruleset() {
  if (fd_ >= 0) ::close(fd_);
}

std::vector<std::string> Ruleset::handled_rights() const {
  static const char* const kFsNames[] = {"execute",    "write_file",  "read_file", "read_dir",
                                         "remove_dir", "remove_file", "make_char", "make_dir",
                                         "make_reg",   "make_sock",   "make_fifo", "make_block",
                                         "make_sym",   "refer",       "truncate",  "ioctl_dev"};
  std::vector<std::string> names;
  for (int bit = 0; bit < 16; ++bit) {
    if (handled_fs_ & (1ULL << bit)) names.push_back(kFsNames[bit]);
  }
  if (handled_net_ & kNetBindTcp) names.push_back("bind_tcp");
  if (handled_net_ & kNetConnectTcp) names.push_back("connect_tcp");
  if (scoped_ & kScopeAbstractUnix) names.push_back("scope_abstract_unix_socket");
  if (scoped_ & kScopeSignal) names.push_back("scope_signal");
  return names;
}

int Ruleset::add_late_grant(const char* path, Access access) const noexcept {
  return add_rule(fd_, path, rights_for(access, handled_fs_));
}

int Ruleset::restrict_self() const noexcept {
  if (::syscall(SYS_landlock_restrict_self, fd_, 0) < 0) return errno;
  return 0;
}

}  // namespace omk::sandbox::landlock
