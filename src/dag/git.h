#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dag/tool_process.h"
#include "routing/git_call.h"

namespace omk::dag {

// git as omk drives it: never interactive, never signing, commits authored by omk (lanes'
// work is recorded as omk's, with the lane named in the message), no hooks of the project run
// on omk's own commits.
class Git {
 public:
  explicit Git(std::filesystem::path repo);

  ToolResult run(const std::vector<std::string>& args) const;
  ToolResult run_in(const std::filesystem::path& dir, const std::vector<std::string>& args) const;
  // Unredacted stdout: only for content omk scans for secrets itself, never for output.
  ToolResult run_raw_in(const std::filesystem::path& dir,
                        const std::vector<std::string>& args) const;
  // Runs and returns stdout; throws UserError naming the git command and its stderr.
  std::string must(const std::vector<std::string>& args) const;
  std::string must_in(const std::filesystem::path& dir, const std::vector<std::string>& args) const;

  bool is_repository() const;
  // HEAD's commit id, or nullopt in a repository without commits.
  std::optional<std::string> head() const;
  std::optional<std::string> head_in(const std::filesystem::path& dir) const;
  bool has_tracked_changes() const;

  const std::filesystem::path& repo() const { return repo_; }

 private:
  std::filesystem::path repo_;
};

// NUL-separated output (git ... -z): the routing layer's splitter.
using routing::split_nul;
std::vector<std::string> split_lines(const std::string& text);

}  // namespace omk::dag
