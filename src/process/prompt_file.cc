#include "process/prompt_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "core/error.h"

namespace omk::process {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path, int error) {
  throw UserError(ExitCode::kFailed, what + " " + path.string() + ": " + std::strerror(error) +
                                         " (check that the temporary directory is writable)");
}

}  // namespace

PromptFile::PromptFile(const fs::path& base, std::string_view prompt) {
  std::string pattern = (base / "omk-prompt-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr)
    fail("cannot create a private directory under", base, errno);
  dir_ = buffer.data();  // mkdtemp makes it 0700
  path_ = dir_ / "prompt.txt";
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    int error = errno;
    ::rmdir(dir_.c_str());
    fail("cannot create the prompt file", path_, error);
  }
  ::fchmod(fd, 0600);  // whatever the umask
  size_t written = 0;
  while (written < prompt.size()) {
    ssize_t n = ::write(fd, prompt.data() + written, prompt.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int error = errno;
      ::close(fd);
      ::unlink(path_.c_str());
      ::rmdir(dir_.c_str());
      fail("cannot write the prompt file", path_, error);
    }
    written += static_cast<size_t>(n);
  }
  ::close(fd);
}

PromptFile::~PromptFile() {
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

}  // namespace omk::process
