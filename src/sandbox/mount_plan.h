#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace omk::sandbox {

// The mounts a child makes in its private mount namespace, as data prepared before fork and
// applied in the child with raw mount(2) calls.
class MountPlan {
 public:
  // Step descriptions start with this; a failure naming it means the mount namespace cannot be
  // set up here (and "mount /proc" that a fresh /proc cannot).
  static constexpr const char* kStepPrefix = "mount";
  static constexpr const char* kProcStep = "mount /proc: a fresh /proc for the PID namespace";

  void make_private();  // first: nothing propagates back to the host
  void bind(const std::filesystem::path& source, const std::filesystem::path& target,
            bool read_only, const std::string& why);
  void tmpfs(const std::filesystem::path& target, const std::string& options,
             const std::string& why, bool optional);
  void proc();

  // In the child (async-signal-safe). Returns 0 or errno with *step set.
  int apply(const char** step) const noexcept;
  bool empty() const { return steps_.empty(); }
  size_t size() const { return steps_.size(); }

 private:
  struct Step {
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
