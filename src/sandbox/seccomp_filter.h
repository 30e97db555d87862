#pragma once

#include <linux/filter.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace omk::sandbox::seccomp {

// True when the kernel can load seccomp filters that return an errno.
bool available();

// The syscalls every sandboxed child is refused (EPERM), whatever its network access.
const std::vector<std::string_view>& always_denied_syscalls();
// ioctl requests refused (terminal input injection).
const std::vector<std::string_view>& denied_ioctls();

// A compiled BPF program (built with libseccomp before fork), installed by the child.
class Program {
 public:
  // Cached per network setting: compiling is the expensive part and never changes.
  static std::shared_ptr<const Program> get(bool restrict_network);

  // In the child (async-signal-safe); needs no_new_privs.
  int install() const noexcept;
  size_t instructions() const { return filter_.size(); }

 private:
  std::vector<sock_filter> filter_;
  friend std::shared_ptr<const Program> compile(bool restrict_network);
};

std::shared_ptr<const Program> compile(bool restrict_network);

}  // namespace omk::sandbox::seccomp
