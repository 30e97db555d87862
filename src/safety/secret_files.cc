#include "safety/secret_files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace omk::safety {
namespace fs = std::filesystem;
namespace {

// Below this, read() into a buffer is cheaper than setting up a mapping.
constexpr size_t kMapThreshold = 64 * 1024;

bool is_skipped(const std::string& display, const std::vector<std::string>& skip) {
  return std::find(skip.begin(), skip.end(), display) != skip.end();
}

void walk(const fs::path& dir, const fs::path& root, const std::vector<std::string>& skip,
          FileWalk& out) {
  std::error_code ec;
  fs::directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) {
    ++out.unreadable;
    return;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) {
      ++out.unreadable;
      break;
    }
    const fs::directory_entry& entry = *it;
    std::error_code status_ec;
    fs::file_status status = entry.symlink_status(status_ec);
    if (status_ec) {
      ++out.unreadable;
      continue;
    }
    if (fs::is_symlink(status)) {
      ++out.symlinks;
      continue;
    }
    std::string display = display_path(entry.path(), root);
    if (fs::is_directory(status)) {
      if (entry.path().filename() == ".git") {
        ++out.git_directories;
        continue;
      }
      if (is_skipped(display, skip)) continue;
      walk(entry.path(), root, skip, out);
      continue;
    }
    if (!fs::is_regular_file(status)) {
      ++out.unreadable;
      continue;
    }
    uint64_t size = entry.file_size(status_ec);
    if (status_ec) {
      ++out.unreadable;
      continue;
    }
    out.files.push_back({entry.path(), std::move(display), size});
  }
}

}  // namespace

std::string display_path(const fs::path& path, const fs::path& root) {
  fs::path shown = path;
  if (!root.empty()) {
    fs::path relative = path.lexically_relative(root);
    if (!relative.empty() && *relative.begin() != "..") shown = relative;
  }
  std::string text = shown.lexically_normal().generic_string();
  if (text.size() > 2 && text.compare(0, 2, "./") == 0) text.erase(0, 2);
  return text;
}

FileWalk collect_files(const std::vector<fs::path>& paths, const fs::path& display_root,
                       const std::vector<std::string>& skip_directories) {
  FileWalk out;
  for (const fs::path& given : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(given, ec);  // a path the user named: follow it
    if (ec || !fs::exists(status)) {
      out.missing.push_back(given.string());
      continue;
    }
    if (fs::is_directory(status)) {
      walk(given, display_root, skip_directories, out);
    } else if (fs::is_regular_file(status)) {
      uint64_t size = fs::file_size(given, ec);
      if (ec) {
        ++out.unreadable;
        continue;
      }
      out.files.push_back({given, display_path(given, display_root), size});
    } else {
      ++out.unreadable;
    }
  }
  std::sort(out.files.begin(), out.files.end(),
            [](const FileToScan& a, const FileToScan& b) { return a.display < b.display; });
  out.files.erase(
      std::unique(out.files.begin(), out.files.end(),
                  [](const FileToScan& a, const FileToScan& b) { return a.display == b.display; }),
      out.files.end());
  return out;
}

FileBytes::FileBytes(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return;
  }
  auto size = static_cast<size_t>(st.st_size);
  if (size >= kMapThreshold) {
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map != MAP_FAILED) {
      ::madvise(map, size, MADV_SEQUENTIAL);
      ::madvise(map, size, MADV_WILLNEED);
      map_ = map;
      map_size_ = size;
      text_ = std::string_view(static_cast<const char*>(map), size);
      ok_ = true;
      ::close(fd);
      return;
    }
  }
  buffer_.resize(size);
  size_t have = 0;
  while (have < size) {
    ssize_t n = ::read(fd, buffer_.data() + have, size - have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    have += static_cast<size_t>(n);
  }
  ::close(fd);
  buffer_.resize(have);  // a file that shrank while we read it is scanned as it is now
  text_ = buffer_;
  ok_ = true;
}

FileBytes::~FileBytes() {
  if (map_ != nullptr) ::munmap(map_, map_size_);
}

}  // namespace omk::safety
