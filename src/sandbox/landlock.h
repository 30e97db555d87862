#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace omk::sandbox::landlock {

// The Landlock ABI version the running kernel offers; 0 when it has none (or it is disabled).
int abi_version();

// What a path grant allows, beneath the path.
enum class Access {
  kReadExec,   // read files, list directories, execute
  kReadWrite,  // everything but creating device nodes
  kDevice,     // a device node: read, write, truncate, ioctl
  kList,       // list the directory, nothing beneath (/dev: its nodes are granted one by one)
};

struct PathGrant {
  std::filesystem::path path;
  Access access;
};

struct Options {
  bool deny_tcp = false;             // ABI 4+: no TCP bind/connect at all (also on passed sockets)
  bool scope_signals = false;        // ABI 6+: no signals to processes outside the sandbox
  bool scope_abstract_unix = false;  // ABI 6+: no abstract Unix sockets outside the sandbox
};

// A Landlock ruleset built before fork: an allowlist of path grants with the best access rights
// the kernel's ABI knows (refer, truncate, ioctl on devices, TCP, scopes as available). The child
// may add grants for mounts it creates itself (a fresh /proc) and then restricts itself.
class Ruleset {
 public:
  static std::unique_ptr<Ruleset> build(int abi, const std::vector<PathGrant>& grants,
                                        const Options& options);
  ~Ruleset();
  Ruleset(const Ruleset&) = delete;
  Ruleset& operator=(const Ruleset&) = delete;

  int abi() const { return abi_; }
  // Grants whose path does not exist here (skipped, not an error).
  const std::vector<std::string>& skipped() const { return skipped_; }
  // The access rights this ruleset restricts, by name ("write_file", "refer", "connect_tcp"...).
  std::vector<std::string> handled_rights() const;

  // In the child (async-signal-safe): grant `access` beneath `path`, then restrict.
  int add_late_grant(const char* path, Access access) const noexcept;
  int restrict_self() const noexcept;

 private:
  Ruleset() = default;
  int fd_ = -1;
  int abi_ = 0;
  uint64_t handled_fs_ = 0;
  uint64_t handled_net_ = 0;
  uint64_t scoped_ = 0;
  std::vector<std::string> skipped_;
};

}  // namespace omk::sandbox::landlock
