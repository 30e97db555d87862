#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace omk::sandbox {

// What a child does in its private mount namespace, as data prepared before fork and applied
// in the child with raw syscalls (mount, mkdir, symlink, pivot_root): no allocation after fork.
class MountPlan {
 public:
  // Step descriptions start with this; a failure naming it means the mount namespace cannot be
  // set up here (and kProcStep that a fresh /proc cannot be mounted).
  static constexpr const char* kStepPrefix = "mount";
  static constexpr const char* kProcStep = "mount /proc: a fresh /proc for the PID namespace";

  void make_private();  // first: nothing propagates back to the host
  void tmpfs(const std::filesystem::path& target, const std::string& options,
             const std::string& why, bool optional = false);
  // mkdir -p (every missing component); for a file, the parents and an empty file.
  void make_mount_point(const std::filesystem::path& path, bool directory);
  void symlink(const std::string& target, const std::filesystem::path& link);
  void bind(const std::filesystem::path& source, const std::filesystem::path& target,
            bool read_only, bool recursive, const std::string& why);
  void proc(const std::filesystem::path& target);
  // Makes `new_root` the child's "/" (the old root is detached) and then read-only.
  void pivot_into(const std::filesystem::path& new_root);

  // In the child (async-signal-safe). Returns 0 or errno with *step set.
  int apply(const char** step) const noexcept;
  size_t size() const { return steps_.size(); }

 private:
  enum class Kind { kMount, kMkdir, kTouch, kSymlink, kPivot };
  struct Step {
    Kind kind = Kind::kMount;
    std::string source;
    std::string target;
    std::string fstype;
    std::string data;
    unsigned long flags = 0;
    std::string description;
    bool optional = false;
  };
  std::vector<Step> steps_;
};

// Mount flags of the filesystem holding `path` that a read-only remount must keep (a mount
// inherited into a user namespace has them locked).
unsigned long preserved_mount_flags(const std::filesystem::path& path);

}  // namespace omk::sandbox
