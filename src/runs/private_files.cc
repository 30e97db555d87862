#include "runs/private_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/atomic_file.h"
#include "core/error.h"

namespace omk::runs {
namespace fs = std::filesystem;
namespace {

UserError io_error(const fs::path& path, const std::string& what) {
  return usage_error("cannot " + what + " " + path.string() + ": " + std::strerror(errno) +
                     " (check that the project's .omk directory is writable)");
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// A crash can leave the last line without its newline; cut it so appends start clean.
void cut_torn_tail(int fd) {
  off_t size = ::lseek(fd, 0, SEEK_END);
  if (size <= 0) return;
  char last = 0;
  if (::pread(fd, &last, 1, size - 1) != 1 || last == '\n') return;
  off_t keep = 0;
  char buffer[4096];
  for (off_t end = size; end > 0;) {
    off_t start =
        end > static_cast<off_t>(sizeof buffer) ? end - static_cast<off_t>(sizeof buffer) : 0;
    ssize_t n = ::pread(fd, buffer, static_cast<size_t>(end - start), start);
    if (n <= 0) break;
    for (ssize_t i = n - 1; i >= 0; --i) {
      if (buffer[i] == '\n') {
        keep = start + i + 1;
        end = 0;
        break;
      }
    }
    if (end != 0) end = start;
  }
  if (::ftruncate(fd, keep) != 0) return;
}

}  // namespace

void ensure_private_dir(const fs::path& dir) {
  std::vector<fs::path> missing;
  for (fs::path at = dir; !at.empty() && !fs::exists(at); at = at.parent_path()) {
    missing.push_back(at);
    if (at == at.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST) throw io_error(*it, "create");
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) throw io_error(dir, "create");
  if (!S_ISDIR(st.st_mode)) {
    throw usage_error("cannot use " + dir.string() + ": it exists and is not a directory");
  }
  if ((st.st_mode & 0777) != 0700 && ::chmod(dir.c_str(), 0700) != 0) {
    throw io_error(dir, "make private");
  }
}

void ensure_private_ignored_dir(const fs::path& dir) {
  ensure_private_dir(dir);
  fs::path ignore = dir / ".gitignore";
  std::error_code ec;
  if (!fs::exists(ignore, ec)) {
    write_private_file(ignore, "# omk: local run state, never committed\n*\n");
  }
}

Json redact_json(const Json& value) {
  if (value.is_string()) return filter_output(value.get_ref<const std::string&>());
  if (value.is_array()) {
    Json out = Json::array();
    for (const auto& item : value) out.push_back(redact_json(item));
    return out;
  }
  if (value.is_object()) {
    Json out = Json::object();
    for (auto it = value.begin(); it != value.end(); ++it) out[it.key()] = redact_json(it.value());
    return out;
  }
  return value;
}

void write_private_file(const fs::path& path, std::string_view content) {
  write_file_atomic(path, filter_output(content), 0600);
}

void write_private_json(const fs::path& path, const Json& document) {
  write_file_atomic(
      path, redact_json(document).dump(2, ' ', false, Json::error_handler_t::replace) + "\n", 0600);
}

JsonlWriter::JsonlWriter(fs::path path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) throw io_error(path_, "open");
  cut_torn_tail(fd_);
}

JsonlWriter::~JsonlWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void JsonlWriter::append(const Json& record) {
  std::string line = redact_json(record).dump(-1, ' ', false, Json::error_handler_t::replace);
  line += '\n';
  std::lock_guard lock(mutex_);
  if (!write_all(fd_, line)) throw io_error(path_, "append to");
}

JsonlContents read_jsonl(const fs::path& path) {
  JsonlContents contents;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    bool complete = !in.eof();  // the last line without '\n' may be torn
    auto parsed = Json::parse(line, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object() || !complete) {
      ++contents.skipped_lines;
      continue;
    }
    contents.records.push_back(std::move(parsed));
  }
  return contents;
}

FilteredLog::FilteredLog(fs::path path) : path_(std::move(path)), filter_(make_stream_filter()) {}

FilteredLog::~FilteredLog() {
  try {
    close();
  } catch (...) {
    // A destructor cannot report; close() is called explicitly on the normal path.
  }
}

void FilteredLog::write_raw(std::string_view bytes) {
  if (bytes.empty()) return;
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0) throw io_error(path_, "open");
  }
  written_ = true;
  if (!write_all(fd_, bytes)) throw io_error(path_, "write");
}

void FilteredLog::write(std::string_view chunk) {
  if (!filter_) return;
  write_raw(filter_->feed(chunk));
}

void FilteredLog::close() {
  if (filter_) {
    auto rest = filter_->finish();
    filter_.reset();
    write_raw(rest);
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

}  // namespace omk::runs
