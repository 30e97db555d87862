#include "sandbox/mount_plan.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace omk::sandbox {
namespace fs = std::filesystem;

unsigned long preserved_mount_flags(const fs::path& path) {
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
  steps_.push_back({Kind::kMount, "", "/", "", "", MS_REC | MS_PRIVATE,
                    "mount: make the mount tree private (nothing propagates to the host)"});
}

void MountPlan::tmpfs(const fs::path& target, const std::string& options, const std::string& why,
                      bool optional) {
  steps_.push_back({Kind::kMount, "tmpfs", target.string(), "tmpfs", options, MS_NOSUID | MS_NODEV,
                    "mount: " + why, optional});
}

void MountPlan::make_mount_point(const fs::path& path, bool directory) {
  fs::path partial;
  fs::path last = directory ? path : path.parent_path();
  for (const auto& part : last) {
    partial /= part;
    if (partial == partial.root_path()) continue;
    steps_.push_back({Kind::kMkdir, "", partial.string(), "", "", 0,
                      "mount: create the mount point " + partial.string()});
  }
  if (!directory) {
    steps_.push_back({Kind::kTouch, "", path.string(), "", "", 0,
                      "mount: create the mount point " + path.string()});
  }
}

void MountPlan::symlink(const std::string& target, const fs::path& link) {
  steps_.push_back({Kind::kSymlink, target, link.string(), "", "", 0,
                    "mount: link " + link.string() + " -> " + target});
}

void MountPlan::bind(const fs::path& source, const fs::path& target, bool read_only, bool recursive,
                     const std::string& why) {
  steps_.push_back({Kind::kMount, source.string(), target.string(), "", "",
                    MS_BIND | (recursive ? static_cast<unsigned long>(MS_REC) : 0UL),
                    "mount: " + why});
  if (read_only) {
    steps_.push_back({Kind::kMount, "", target.string(), "", "",
                      MS_REMOUNT | MS_BIND | MS_RDONLY | preserved_mount_flags(source),
                      "mount: make read-only: " + why});
  }
}

void MountPlan::proc(const fs::path& target) {
  steps_.push_back({Kind::kMount, "proc", target.string(), "proc", "",
                    MS_NOSUID | MS_NODEV | MS_NOEXEC, kProcStep});
}

void MountPlan::pivot_into(const fs::path& new_root) {
  steps_.push_back(
      {Kind::kPivot, "", new_root.string(), "", "", 0, "mount: switch to the sandbox's own root"});
}

namespace {

// pivot_root(".", "."): the old root ends up stacked under the new one and is then detached,
// so no directory for it is needed. The new root becomes read-only last.
int pivot(const char* new_root) noexcept {
  if (::chdir(new_root) != 0) return errno;
  if (::syscall(SYS_pivot_root, ".", ".") != 0) return errno;
  if (::umount2(".", MNT_DETACH) != 0) return errno;
  if (::chdir("/") != 0) return errno;
  if (::mount(nullptr, "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV,
              nullptr) != 0) {
    return errno;
  }
  return 0;
}

}  // namespace

int MountPlan::apply(const char** step) const noexcept {
  for (const Step& s : steps_) {
    int result = 0;
    switch (s.kind) {
      case Kind::kMount: {
        const char* source = s.source.empty() ? nullptr : s.source.c_str();
        const char* fstype = s.fstype.empty() ? nullptr : s.fstype.c_str();
        const void* data = s.data.empty() ? nullptr : s.data.c_str();
        if (::mount(source, s.target.c_str(), fstype, s.flags, data) != 0) result = errno;
        break;
      }
      case Kind::kMkdir: {
        struct stat st;
        if (::lstat(s.target.c_str(), &st) == 0) break;  // it may sit on a read-only mount
        if (::mkdir(s.target.c_str(), 0755) != 0 && errno != EEXIST) result = errno;
        break;
      }
      case Kind::kTouch: {
        struct stat st;
        if (::lstat(s.target.c_str(), &st) == 0) break;
        int fd =
            ::open(s.target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0 && errno != EEXIST) result = errno;
        if (fd >= 0) ::close(fd);
        break;
      }
      case Kind::kSymlink:
        if (::symlink(s.source.c_str(), s.target.c_str()) != 0 && errno != EEXIST) result = errno;
        break;
      case Kind::kPivot:
        result = pivot(s.target.c_str());
        break;
    }
    if (result != 0 && !s.optional) {
      *step = s.description.c_str();
      return result;
    }
  }
  return 0;
}

}  // namespace omk::sandbox
