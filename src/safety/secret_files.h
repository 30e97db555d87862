#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace omk::safety {

struct FileToScan {
  std::filesystem::path path;
  std::string display;  // relative to the display root, '/'-separated
  uint64_t size = 0;
};

struct FileWalk {
  std::vector<FileToScan> files;  // sorted by display path, no duplicates
  uint64_t git_directories = 0;
  uint64_t symlinks = 0;
  uint64_t unreadable = 0;
  std::vector<std::string> missing;  // given paths that do not exist
};

// The regular files under `paths`. Directories are walked without following symlinks;
// .git directories and `skip_directories` (relative to `display_root`) are not entered.
FileWalk collect_files(const std::vector<std::filesystem::path>& paths,
                       const std::filesystem::path& display_root,
                       const std::vector<std::string>& skip_directories);

// A file's bytes: memory-mapped when large, read otherwise. `ok()` is false when the file could
// not be opened or read.
class FileBytes {
 public:
  explicit FileBytes(const std::filesystem::path& path);
  ~FileBytes();
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  bool ok() const { return ok_; }
  std::string_view text() const { return text_; }

 private:
  bool ok_ = false;
  void* map_ = nullptr;
  size_t map_size_ = 0;
  std::string buffer_;
  std::string_view text_;
};

std::string display_path(const std::filesystem::path& path, const std::filesystem::path& root);

}  // namespace omk::safety
