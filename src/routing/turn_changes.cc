#include "routing/turn_changes.h"

#include <map>
#include <optional>

#include "core/error.h"
#include "routing/git_call.h"
#include "routing/workspace_state.h"

namespace omk::routing {
namespace {

std::string must(const TurnWorktree& wt, const std::vector<std::string>& args,
                 const std::string& what) {
  GitResult result = run_git(wt.path, args);
  if (!result.ok()) {
    throw usage_error("cannot " + what + " of the turn worktree " + wt.path.string() + ": " +
                      first_line(result.err));
  }
  return result.out;
}

FileChangeStatus status_of(char letter) {
  switch (letter) {
    case 'A':
      return FileChangeStatus::kAdded;
    case 'D':
      return FileChangeStatus::kDeleted;
    case 'T':
      return FileChangeStatus::kTypeChanged;
    default:
      return FileChangeStatus::kModified;
  }
}

bool absent_mode(const std::string& mode) {
  return mode.find_first_not_of('0') == std::string::npos;
}
bool absent_blob(const std::string& id) {
  return id.find_first_not_of('0') == std::string::npos;
}

// `diff-tree -r -z` raw output: ":old_mode new_mode old_id new_id STATUS\0path\0" per file.
std::vector<FileChange> parse_raw(const std::string& out) {
  std::vector<FileChange> files;
  std::vector<std::string> fields = split_nul(out);
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    const std::string& meta = fields[i];
    if (meta.empty() || meta[0] != ':') continue;
    std::vector<std::string> parts;
    size_t start = 1;
    while (start <= meta.size()) {
      size_t end = meta.find(' ', start);
      if (end == std::string::npos) end = meta.size();
      parts.push_back(meta.substr(start, end - start));
      start = end + 1;
    }
    if (parts.size() < 5 || parts[4].empty()) continue;
    FileChange change;
    change.path = fields[i + 1];
    change.status = status_of(parts[4][0]);
    if (!absent_mode(parts[0])) change.old_mode = parts[0];
    if (!absent_mode(parts[1])) change.new_mode = parts[1];
    if (!absent_blob(parts[2])) change.old_blob = parts[2];
    if (!absent_blob(parts[3])) change.new_blob = parts[3];
    files.push_back(std::move(change));
  }
  return files;
}

struct LineCounts {
  bool binary = false;
  int added = 0;
  int removed = 0;
};

// `diff-tree --numstat -z`: "added\tremoved\tpath\0", "-\t-\tpath\0" for binary files.
std::map<std::string, LineCounts> parse_numstat(const std::string& out) {
  std::map<std::string, LineCounts> counts;
  for (const std::string& record : split_nul(out)) {
    size_t tab1 = record.find('\t');
    size_t tab2 = tab1 == std::string::npos ? tab1 : record.find('\t', tab1 + 1);
    if (tab2 == std::string::npos) continue;
    std::string added = record.substr(0, tab1);
    std::string removed = record.substr(tab1 + 1, tab2 - tab1 - 1);
    LineCounts& entry = counts[record.substr(tab2 + 1)];
    if (added == "-" || removed == "-") {
      entry.binary = true;
      continue;
    }
    entry.added += std::stoi(added);
    entry.removed += std::stoi(removed);
  }
  return counts;
}

}  // namespace

std::string_view to_string(FileChangeStatus status) {
  switch (status) {
    case FileChangeStatus::kAdded:
      return "added";
    case FileChangeStatus::kDeleted:
      return "deleted";
    case FileChangeStatus::kTypeChanged:
      return "type_changed";
    case FileChangeStatus::kModified:
      break;
  }
  return "modified";
}

std::string TurnChanges::summary() const {
  if (files.empty()) return "no changes";
  return std::to_string(files.size()) + (files.size() == 1 ? " file" : " files") + " changed, +" +
         std::to_string(added_lines) + " -" + std::to_string(removed_lines);
}

TurnChanges turn_changes(const TurnWorktree& wt) {
  std::string error;
  // The worktree's files as they are, whether the agent committed them or not.
  std::optional<WorkspaceSnapshot> now = snapshot_workspace(wt.path, &error);
  if (!now) {
    throw usage_error("cannot read the turn worktree " + wt.path.string() + ": " + error);
  }
  TurnChanges changes;
  changes.snapshot_commit = wt.snapshot_commit;
  changes.result_tree = now->tree;
  std::vector<std::string> diff = {"diff-tree",        "-r",     "-z", "--no-renames",
                                   wt.snapshot_commit, now->tree};
  changes.files = parse_raw(must(wt, diff, "list the changes"));
  if (changes.files.empty()) return changes;
  diff.insert(diff.begin() + 1, "--numstat");
  std::map<std::string, LineCounts> counts = parse_numstat(must(wt, diff, "count the changes"));
  for (FileChange& file : changes.files) {
    auto found = counts.find(file.path);
    if (found == counts.end()) continue;
    file.binary = found->second.binary;
    file.added_lines = found->second.added;
    file.removed_lines = found->second.removed;
    changes.added_lines += file.added_lines;
    changes.removed_lines += file.removed_lines;
  }
  return changes;
}

Json to_json(const TurnChanges& changes) {
  Json files = Json::array();
  for (const FileChange& file : changes.files) {
    Json entry;
    entry["path"] = file.path;
    entry["status"] = to_string(file.status);
    entry["binary"] = file.binary;
    entry["added_lines"] = file.added_lines;
    entry["removed_lines"] = file.removed_lines;
    entry["old_mode"] = file.old_mode.empty() ? Json(nullptr) : Json(file.old_mode);
    entry["new_mode"] = file.new_mode.empty() ? Json(nullptr) : Json(file.new_mode);
    files.push_back(std::move(entry));
  }
  Json out;
  out["summary"] = changes.summary();
  out["files_changed"] = changes.files.size();
  out["added_lines"] = changes.added_lines;
  out["removed_lines"] = changes.removed_lines;
  out["snapshot_commit"] = changes.snapshot_commit;
  out["files"] = std::move(files);
  return out;
}

}  // namespace omk::routing
