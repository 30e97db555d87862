#include "sandbox/mount_plan.h"

#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cerrno>

namespace omk::sandbox {

unsigned long preserved_mount_flags(const std::filesystem::path& path) {
  struct statvfs info {};
  if (::statvfs(path.c_str(), &info) != 0) return MS_NOSUID | MS_NODEV;
  unsigned long flags = 0;
  if (info.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (info.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (info.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  if (info.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (info.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (info.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  return flags;
}

void MountPlan::make_private() {
  steps_.push_back({"", "/", "", "", MS_REC | MS_PRIVATE,
                    "mount: make the mount tree private (nothing propagates to the host)", false});
}

void MountPlan::bind(const std::filesystem::path& source, const std::filesystem::path& target,
                     bool read_only, const std::string& why) {
  steps_.push_back(
      {source.string(), target.string(), "", "", MS_BIND | MS_REC, "mount: " + why, false});
  if (read_only) {
    steps_.push_back({"", target.string(), "", "",
                      MS_REMOUNT | MS_BIND | MS_RDONLY | preserved_mount_flags(source),
                      "mount: make read-only: " + why, false});
  }
}

void MountPlan::tmpfs(const std::filesystem::path& target, const std::string& options,
                      const std::string& why, bool optional) {
  steps_.push_back({"tmpfs", target.string(), "tmpfs", options, MS_NOSUID | MS_NODEV,
                    "mount: " + why, optional});
}

void MountPlan::proc() {
  steps_.push_back(
      {"proc", "/proc", "proc", "", MS_NOSUID | MS_NODEV | MS_NOEXEC, kProcStep, false});
}

int MountPlan::apply(const char** step) const noexcept {
  for (const Step& s : steps_) {
    const char* source = s.source.empty() ? nullptr : s.source.c_str();
    const char* fstype = s.fstype.empty() ? nullptr : s.fstype.c_str();
    const void* data = s.data.empty() ? nullptr : s.data.c_str();
    if (::mount(source, s.target.c_str(), fstype, s.flags, data) != 0 && !s.optional) {
      *step = s.description.c_str();
      return errno;
    }
  }
  return 0;
}

}  // namespace omk::sandbox
