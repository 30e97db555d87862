#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/error.h"

namespace omk {
namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

UserError write_failure(const std::filesystem::path& path, int err) {
  return usage_error("cannot write " + path.string() + ": " + errno_text(err) +
                     " (check that the directory exists and is writable)");
}

bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void fsync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view content, mode_t mode) {
  std::filesystem::path dir = path.parent_path();
  // Built by appending: GCC 12 at -O3 raises a false -Wrestrict on "." + std::string&&.
  std::string base = ".";
  base += path.filename().string();
  base += ".tmp.XXXXXX";
  std::string pattern = (dir / base).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) throw write_failure(path, errno);
  std::string temp(name.data());

  auto fail = [&](int err) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw write_failure(path, err);
  };
  if (::fchmod(fd, mode) != 0) fail(errno);
  if (!write_all(fd, content)) fail(errno);
  if (::fsync(fd) != 0) fail(errno);
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    throw write_failure(path, err);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    throw write_failure(path, err);
  }
  fsync_directory(dir);
}

std::optional<std::string> read_file_if_exists(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw usage_error("cannot read " + path.string() + ": " + errno_text(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw usage_error("cannot read " + path.string() + ": it is a directory");
  }
  std::string data;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      throw usage_error("cannot read " + path.string() + ": " + errno_text(err));
    }
    if (n == 0) break;
    data.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

}  // namespace omk
