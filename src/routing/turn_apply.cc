#include "routing/turn_apply.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <system_error>

#include "core/atomic_file.h"
#include "core/error.h"
#include "routing/git_call.h"

namespace omk::routing {
namespace fs = std::filesystem;
namespace {

constexpr size_t kMaxBlobBytes = size_t{256} << 20;

// One side of a three-way comparison: a file's bytes (a symlink's target), or nothing.
struct Side {
  enum class Kind { kAbsent, kFile, kSymlink, kOther };
  Kind kind = Kind::kAbsent;
  std::string bytes;
  bool executable = false;
  mode_t permissions = 0644;  // the user's file only
  std::string unreadable;     // set: this side could not be read, and why
};

bool same(const Side& a, const Side& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == Side::Kind::kAbsent) return true;
  if (a.kind == Side::Kind::kOther) return false;
  return a.bytes == b.bytes && (a.kind != Side::Kind::kFile || a.executable == b.executable);
}

// A side held by git: the snapshot's or the worktree's version. File contents go through the
// repository's smudge filters (line endings, say) so they compare with the user's files on disk.
Side load_blob(const TurnWorktree& wt, const std::string& path, const std::string& mode,
               const std::string& blob) {
  Side side;
  if (mode.empty() || blob.empty()) return side;
  GitCall call;
  call.cwd = wt.repo_root;
  call.capture_limit = kMaxBlobBytes;
  if (mode == "120000") {
    side.kind = Side::Kind::kSymlink;
    call.args = {"cat-file", "blob", blob};
  } else if (mode == "100644" || mode == "100755") {
    side.kind = Side::Kind::kFile;
    side.executable = mode == "100755";
    call.args = {"cat-file", "--filters", "--path=" + path, blob};
  } else {
    side.kind = Side::Kind::kOther;  // a submodule (160000)
    return side;
  }
  GitResult result = run_git(call);
  if (result.truncated) {
    side.unreadable = "it is larger than 256 MiB; copy it by hand from the turn worktree";
  } else if (!result.ok()) {
    side.unreadable = "git cannot read its contents: " + first_line(result.err);
  }
  side.bytes = std::move(result.out);
  return side;
}

// The user's side: whatever is on disk now.
Side load_disk(const fs::path& file) {
  Side side;
  struct stat st {};
  if (::lstat(file.c_str(), &st) != 0) {
    if (errno != ENOENT && errno != ENOTDIR) {
      side.kind = Side::Kind::kOther;
      side.unreadable = std::error_code(errno, std::generic_category()).message();
    }
    return side;
  }
  if (S_ISLNK(st.st_mode)) {
    side.kind = Side::Kind::kSymlink;
    std::error_code ec;
    side.bytes = fs::read_symlink(file, ec).string();
    if (ec) side.unreadable = ec.message();
  } else if (S_ISREG(st.st_mode)) {
    side.kind = Side::Kind::kFile;
    side.executable = (st.st_mode & S_IXUSR) != 0;
    side.permissions = st.st_mode & 07777;
    try {
      side.bytes = read_file_if_exists(file).value_or("");
    } catch (const UserError& error) {
      side.unreadable = error.what();
    }
  } else {
    side.kind = Side::Kind::kOther;
  }
  return side;
}

bool looks_binary(const std::string& bytes) {
  return bytes.find('\0', 0) < std::min<size_t>(bytes.size(), 8000);
}

mode_t with_executable(mode_t permissions, bool executable) {
  if (!executable) return permissions & ~mode_t{0111};
  return permissions | ((permissions & 0444) >> 2);
}

// What to do with one path once every path has been checked.
struct Plan {
  enum class Op { kNone, kWrite, kSymlink, kDelete };
  std::string path;
  Op op = Op::kNone;
  ApplyAction action = ApplyAction::kUnchanged;
  std::string bytes;
  mode_t mode = 0644;
};

struct Merge {
  bool clean = false;
  std::string bytes;
  std::string problem;
};

Merge merge_text(const TurnWorktree& wt, const Side& base, const Side& ours, const Side& theirs) {
  PrivateTempDir dir("omk-merge");
  write_file_atomic(dir.path() / "ours", ours.bytes, 0600);
  write_file_atomic(dir.path() / "base", base.bytes, 0600);
  write_file_atomic(dir.path() / "theirs", theirs.bytes, 0600);
  GitCall call;
  call.cwd = wt.repo_root;
  call.capture_limit = kMaxBlobBytes;
  call.args = {"merge-file",
               "-p",
               "-L",
               "yours",
               "-L",
               "snapshot",
               "-L",
               "agent",
               (dir.path() / "ours").string(),
               (dir.path() / "base").string(),
               (dir.path() / "theirs").string()};
  GitResult result = run_git(call);
  Merge merge;
  if (result.exit_code == 0 && !result.truncated) {
    merge.clean = true;
    merge.bytes = std::move(result.out);
  } else if (result.exit_code > 0 && result.exit_code < 128) {
    merge.problem = "you and the agent changed the same lines (" +
                    std::to_string(result.exit_code) + " conflicting region" +
                    (result.exit_code == 1 ? "" : "s") + ")";
  } else {
    merge.problem = "git merge-file failed: " + first_line(result.err);
  }
  return merge;
}

// Decides one path; returns the conflict reason, or "" with `plan` filled.
std::string decide(const TurnWorktree& wt, const FileChange& change, Plan& plan) {
  plan.path = change.path;
  fs::path target = wt.repo_root / change.path;
  Side ours = load_disk(target);
  Side theirs = load_blob(wt, change.path, change.new_mode, change.new_blob);
  if (!theirs.unreadable.empty()) return "the agent's version cannot be read: " + theirs.unreadable;
  if (!ours.unreadable.empty()) return "your file cannot be read: " + ours.unreadable;
  if (theirs.kind == Side::Kind::kOther) return "submodule changes are not applied";
  if (same(ours, theirs)) return "";  // already the agent's result
  Side base = load_blob(wt, change.path, change.old_mode, change.old_blob);
  if (!base.unreadable.empty()) return "the snapshot's version cannot be read: " + base.unreadable;

  bool user_changed = !same(ours, base);
  if (!user_changed) {
    switch (theirs.kind) {
      case Side::Kind::kAbsent:
        plan.op = Plan::Op::kDelete;
        plan.action = ApplyAction::kDeleted;
        return "";
      case Side::Kind::kSymlink:
        plan.op = Plan::Op::kSymlink;
        break;
      default:
        plan.op = Plan::Op::kWrite;
        plan.mode = ours.kind == Side::Kind::kFile
                        ? with_executable(ours.permissions, theirs.executable)
                        : (theirs.executable ? 0755 : 0644);
        break;
    }
    plan.bytes = std::move(theirs.bytes);
    plan.action = base.kind == Side::Kind::kAbsent ? ApplyAction::kAdded : ApplyAction::kReplaced;
    return "";
  }
  if (ours.kind == Side::Kind::kOther) return "a directory or special file is in the way";
  if (theirs.kind == Side::Kind::kAbsent) return "the agent deleted this file and you changed it";
  if (ours.kind == Side::Kind::kAbsent) return "you deleted this file and the agent changed it";
  if (base.kind == Side::Kind::kAbsent) {
    return "you and the agent both created this file, with different contents";
  }
  if (base.kind != Side::Kind::kFile || ours.kind != Side::Kind::kFile ||
      theirs.kind != Side::Kind::kFile) {
    return "you and the agent both changed it and one of them made it a symlink";
  }
  if (looks_binary(base.bytes) || looks_binary(ours.bytes) || looks_binary(theirs.bytes)) {
    return "a binary file changed on both sides";
  }
  Merge merge = merge_text(wt, base, ours, theirs);
  if (!merge.clean) return merge.problem;
  // Each side's executable bit counts only where that side changed it.
  bool executable = ours.executable == base.executable ? theirs.executable : ours.executable;
  plan.op = Plan::Op::kWrite;
  plan.action = ApplyAction::kMerged;
  plan.mode = with_executable(ours.permissions, executable);
  plan.bytes = std::move(merge.bytes);
  return "";
}

bool plain_relative(const std::string& path) {
  fs::path p(path);
  if (p.empty() || p.is_absolute()) return false;
  for (const auto& part : p) {
    if (part == ".." || part == "." || part == ".git") return false;
  }
  return true;
}

// Every existing parent of `path` must be a real directory: never write through a symlink the
// user (or anyone) put there, possibly pointing out of the project. A file this same apply
// deletes does not count.
std::string parents_problem(const fs::path& top, const std::string& path,
                            const std::set<std::string>& deleted) {
  fs::path relative;
  fs::path parents = fs::path(path).parent_path();
  for (const auto& part : parents) {
    relative /= part;
    struct stat st {};
    if (::lstat((top / relative).c_str(), &st) != 0) return "";  // the rest gets created
    if (S_ISDIR(st.st_mode)) continue;
    if (S_ISREG(st.st_mode) && deleted.count(relative.string())) return "";
    return "its parent " + relative.string() + " is no longer a directory in the project";
  }
  return "";
}

void write_symlink(const fs::path& target, const std::string& destination) {
  fs::path temporary = target.parent_path() / (".omk-link-" + std::to_string(::getpid()) + "-" +
                                               target.filename().string());
  std::error_code ec;
  fs::remove(temporary, ec);
  fs::create_symlink(destination, temporary);
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    int error = errno;
    fs::remove(temporary, ec);
    throw std::system_error(error, std::generic_category(), "rename");
  }
}

void delete_path(const fs::path& top, const fs::path& target) {
  fs::remove(target);
  // Like git: a directory the deletion emptied goes too.
  for (fs::path dir = target.parent_path(); dir != top && dir.string().size() > top.string().size();
       dir = dir.parent_path()) {
    if (::rmdir(dir.c_str()) != 0) break;
  }
}

}  // namespace

std::string_view to_string(ApplyAction action) {
  switch (action) {
    case ApplyAction::kReplaced:
      return "replaced";
    case ApplyAction::kMerged:
      return "merged";
    case ApplyAction::kAdded:
      return "added";
    case ApplyAction::kDeleted:
      return "deleted";
    case ApplyAction::kUnchanged:
      break;
  }
  return "unchanged";
}

ApplyResult apply_turn_changes(const TurnWorktree& wt, const TurnChanges& changes) {
  if (changes.snapshot_commit != wt.snapshot_commit) {
    throw usage_error("these changes were computed against snapshot " + changes.snapshot_commit +
                      ", not this turn worktree's " + wt.snapshot_commit);
  }
  ApplyResult result;
  std::vector<Plan> plans;
  std::set<std::string> deleted;
  for (const FileChange& change : changes.files) {
    Plan plan;
    std::string conflict = plain_relative(change.path)
                               ? decide(wt, change, plan)
                               : "the path is not a plain path inside the project";
    if (!conflict.empty()) {
      result.conflicts.push_back({change.path, conflict});
      continue;
    }
    if (plan.op == Plan::Op::kDelete) deleted.insert(plan.path);
    plans.push_back(std::move(plan));
  }
  for (const Plan& plan : plans) {
    if (plan.op != Plan::Op::kWrite && plan.op != Plan::Op::kSymlink) continue;
    std::string problem = parents_problem(wt.repo_root, plan.path, deleted);
    if (!problem.empty()) result.conflicts.push_back({plan.path, problem});
  }
  if (!result.conflicts.empty()) return result;  // all or nothing: not one file written

  // Deletions first, so a file the agent turned into a directory is out of the way.
  std::stable_partition(plans.begin(), plans.end(),
                        [](const Plan& plan) { return plan.op == Plan::Op::kDelete; });
  size_t done = 0;
  try {
    for (const Plan& plan : plans) {
      fs::path target = wt.repo_root / plan.path;
      switch (plan.op) {
        case Plan::Op::kDelete:
          delete_path(wt.repo_root, target);
          break;
        case Plan::Op::kWrite:
          fs::create_directories(target.parent_path());
          write_file_atomic(target, plan.bytes, plan.mode);
          break;
        case Plan::Op::kSymlink:
          fs::create_directories(target.parent_path());
          write_symlink(target, plan.bytes);
          break;
        case Plan::Op::kNone:
          break;
      }
      result.files.push_back({plan.path, plan.action});
      ++done;
    }
  } catch (const std::exception& error) {
    throw UserError(ExitCode::kFailed,
                    "applying the turn's changes stopped after " + std::to_string(done) + " of " +
                        std::to_string(plans.size()) + " files (the rest are still in " +
                        wt.path.string() + "): " + error.what());
  }
  result.applied = true;
  return result;
}

ApplyResult apply_turn_changes(const TurnWorktree& wt) {
  return apply_turn_changes(wt, turn_changes(wt));
}

Json to_json(const ApplyResult& result) {
  Json out;
  out["applied"] = result.applied;
  out["files_applied"] = result.files.size();
  out["conflict_count"] = result.conflicts.size();
  Json files = Json::array();
  for (const AppliedFile& file : result.files) {
    files.push_back(Json{{"path", file.path}, {"action", to_string(file.action)}});
  }
  Json conflicts = Json::array();
  for (const ApplyConflict& conflict : result.conflicts) {
    conflicts.push_back(Json{{"path", conflict.path}, {"reason", conflict.reason}});
  }
  out["files"] = std::move(files);
  out["conflicts"] = std::move(conflicts);
  return out;
}

}  // namespace omk::routing
