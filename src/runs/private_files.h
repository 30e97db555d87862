#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_output.h"
#include "core/output.h"

namespace omk::runs {

// Run artifacts are private to the user: directories 0700, files 0600. Everything written here
// passes through the redactor (core/output.h), so a secret a lane printed never reaches disk.

// Creates `dir` and any missing parents (new ones 0700) and makes `dir` itself 0700.
void ensure_private_dir(const std::filesystem::path& dir);

// Makes `dir` private (above) and ignored by git through its own `.gitignore` ("*"), so run
// state stays out of commits even in a project where `omk init` never added the lines.
void ensure_private_ignored_dir(const std::filesystem::path& dir);

// Every string value (not the structure) through the output filter: a replacement can never
// break the JSON around it.
Json redact_json(const Json& value);

// Atomic (temp + fsync + rename) 0600 writes: a reader or a crash sees the old file or the new
// one, never half of either.
void write_private_file(const std::filesystem::path& path, std::string_view content);
void write_private_json(const std::filesystem::path& path, const Json& document);

// Append-only JSON Lines, one compact record per line written with a single write(2). Opening
// cuts a torn last line left by a crash mid-write, so every later line parses.
class JsonlWriter {
 public:
  explicit JsonlWriter(std::filesystem::path path);
  ~JsonlWriter();
  JsonlWriter(const JsonlWriter&) = delete;
  JsonlWriter& operator=(const JsonlWriter&) = delete;

  void append(const Json& record);
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::mutex mutex_;
};

struct JsonlContents {
  std::vector<Json> records;
  int skipped_lines = 0;  // torn or corrupt lines, ignored
};

// Reads a JSON Lines file; a missing file is empty.
JsonlContents read_jsonl(const std::filesystem::path& path);

// A log file fed in chunks (a lane's stdout) through a stream filter, so a secret split across
// two chunks is still redacted. The file is created on the first byte: quiet lanes leave none.
class FilteredLog {
 public:
  explicit FilteredLog(std::filesystem::path path);
  ~FilteredLog();
  FilteredLog(const FilteredLog&) = delete;
  FilteredLog& operator=(const FilteredLog&) = delete;

  void write(std::string_view chunk);
  // Releases what the filter held back and closes the file.
  void close();
  const std::filesystem::path& path() const { return path_; }
  bool created() const { return fd_ >= 0 || written_; }

 private:
  void write_raw(std::string_view bytes);
  std::filesystem::path path_;
  std::unique_ptr<StreamFilter> filter_;
  int fd_ = -1;
  bool written_ = false;
};

}  // namespace omk::runs
