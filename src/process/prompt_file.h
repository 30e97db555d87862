#pragma once

#include <filesystem>
#include <string_view>

namespace omk::process {

// The prompt transport for a CLI that cannot read its prompt from stdin: a 0600 file alone in a
// fresh 0700 directory, removed (file and directory) when this object goes away, also when the
// run failed or threw. Prompts never travel in argv; the file's *path* does.
class PromptFile {
 public:
  // `base` is where the private directory is made (the sandbox's private temp dir, so the
  // sandboxed child can read it).
  PromptFile(const std::filesystem::path& base, std::string_view prompt);
  ~PromptFile();
  PromptFile(const PromptFile&) = delete;
  PromptFile& operator=(const PromptFile&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

}  // namespace omk::process
