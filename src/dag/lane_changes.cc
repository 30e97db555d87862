#include "dag/lane_changes.h"

#include <fstream>
#include <set>

namespace omk::dag {
namespace fs = std::filesystem;
namespace {

constexpr size_t kMaxScannedFileBytes = 8u << 20;

// `git diff` of the lane: base..head, or base against the working tree (without .omk/).
std::vector<std::string> diff_command(const std::string& base, const std::string& head,
                                      std::vector<std::string> options) {
  std::vector<std::string> args = {"diff", "--no-color", "--no-ext-diff", "--no-renames"};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back(base);
  if (!head.empty()) {
    args.push_back(head);
  } else {
    args.insert(args.end(), {"--", ".", ":(exclude).omk"});
  }
  return args;
}

// The "+" lines of a unified diff, by file.
void parse_added(const std::string& diff, std::vector<std::pair<std::string, std::string>>& out) {
  bool in_file = false;
  size_t start = 0;
  while (start < diff.size()) {
    size_t end = diff.find('\n', start);
    if (end == std::string::npos) end = diff.size();
    std::string_view line(diff.data() + start, end - start);
    if (line.rfind("diff --git", 0) == 0) {
      in_file = false;
    } else if (line.rfind("+++ ", 0) == 0) {
      std::string_view path = line.substr(4);
      if (path.size() >= 2 && path.front() == '"') path = path.substr(1, path.size() - 2);
      in_file = path.rfind("b/", 0) == 0;
      if (in_file) out.emplace_back(std::string(path.substr(2)), std::string());
    } else if (in_file && line.rfind("+", 0) == 0) {
      out.back().second.append(line.substr(1));
      out.back().second.push_back('\n');
    }
    start = end + 1;
  }
}

std::string read_text_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec) || fs::is_symlink(path, ec) ||
      fs::file_size(path, ec) > kMaxScannedFileBytes) {
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.find('\0') != std::string::npos) return {};  // binary
  return text;
}

}  // namespace

LaneChanges collect_changes(const Git& git, const fs::path& workspace, const std::string& base,
                            const std::string& head, bool with_content) {
  LaneChanges changes;
  if (base.empty()) {
    changes.error = "the run has no base commit (not a git repository with a commit)";
    return changes;
  }
  ToolResult names = git.run_in(workspace, diff_command(base, head, {"--name-only", "-z"}));
  if (!names.ok()) {
    changes.error =
        "git diff failed: " + (names.start_error.empty() ? names.err : names.start_error);
    return changes;
  }
  std::set<std::string> files;
  for (auto& file : split_nul(names.out)) files.insert(file);
  std::vector<std::string> untracked;
  if (head.empty()) {
    ToolResult others = git.run_in(workspace, {"ls-files", "--others", "--exclude-standard", "-z",
                                               "--", ".", ":(exclude).omk"});
    for (auto& file : split_nul(others.out)) {
      if (files.insert(file).second) untracked.push_back(file);
    }
  }
  changes.files.assign(files.begin(), files.end());
  if (!with_content) return changes;
  ToolResult diff = git.run_raw_in(workspace, diff_command(base, head, {"--unified=0"}));
  parse_added(diff.out, changes.added);
  for (const auto& file : untracked) {
    std::string text = read_text_file(workspace / file);
    if (!text.empty()) changes.added.emplace_back(file, std::move(text));
  }
  return changes;
}

}  // namespace omk::dag
