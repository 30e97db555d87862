#include "mcp/file_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace omk::mcp {

FileText read_tool_plane_file(const std::filesystem::path& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    FileText result;
    if (errno == ENOENT || errno == ENOTDIR) return result;
    result.exists = true;
    result.error = std::string("unreadable (") + std::strerror(errno) + ")";
    return result;
  }
  return read_open_file(fd, max_bytes);
}

FileText read_open_file(int fd, size_t max_bytes) {
  FileText result;
  result.exists = true;
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    result.error = "not a regular file";
    return result;
  }
  if (static_cast<size_t>(info.st_size) > max_bytes) {
    ::close(fd);
    result.error = "larger than " + std::to_string(max_bytes / (1024 * 1024)) + " MiB";
    return result;
  }
  std::string text;
  char buffer[65536];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      result.error = std::string("unreadable (") + std::strerror(errno) + ")";
      ::close(fd);
      return result;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > max_bytes) {
      ::close(fd);
      result.error = "larger than " + std::to_string(max_bytes / (1024 * 1024)) + " MiB";
      return result;
    }
  }
  ::close(fd);
  result.text = std::move(text);
  return result;
}

}  // namespace omk::mcp
