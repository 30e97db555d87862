#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace omk {

// What happens to a project file when omk writes its set-up (omk init and, later, other
// generators). The rules exist so that re-running never clobbers a user's edits.
enum class FilePolicy {
  kGenerated,    // omk's file: created when missing, kept when present; --force rewrites it
                 // after saving a numbered .bak
  kCreateOnly,   // the user's file once it exists (AGENTS.md): never rewritten, even with --force
  kEnsureLines,  // a shared file (.gitignore): missing lines are appended, nothing is removed
  kMergeJson     // a shared JSON file (.claude/settings.json): content is merged in: missing keys
                 // added, array items appended unless already present, nothing removed. When the
                 // file changes, the previous one is saved as a .bak first. A file that is not a
                 // JSON object, or holds a conflicting value, is kept unless --force (with .bak)
};

struct PlannedFile {
  std::filesystem::path relative;  // to the project root
  std::string content;  // kEnsureLines: the lines, block header first; kMergeJson: a JSON object
  FilePolicy policy = FilePolicy::kGenerated;
  mode_t mode = 0644;
};

struct ScaffoldPlan {
  std::vector<std::filesystem::path> directories;  // relative, created 0755 when missing
  std::vector<PlannedFile> files;
};

enum class ScaffoldAction { kCreated, kKept, kUnchanged, kOverwritten, kUpdated };
std::string to_string(ScaffoldAction action);

struct ScaffoldOutcome {
  std::string path;  // relative; directories end in "/"
  ScaffoldAction action;
  std::optional<std::string> backup;  // relative path of the .bak written before an overwrite
  std::string note;                   // why a file was kept, for the human output
};

struct ScaffoldOptions {
  bool force = false;
  bool dry_run = false;
};

// Applies (or, with dry_run, only decides) the plan under `root`. All or nothing: when any write
// fails, everything this call created or changed is put back and a UserError (exit 2) naming the
// path is thrown.
std::vector<ScaffoldOutcome> apply_scaffold(const std::filesystem::path& root,
                                            const ScaffoldPlan& plan,
                                            const ScaffoldOptions& options);

}  // namespace omk
