#include <gtest/gtest.h>
#include <sys/stat.h>

#include <stdlib.h>

#include <algorithm>
#include <map>

#include "core/error.h"
#include "git_fixture.h"
#include "routing/turn_apply.h"
#include "routing/turn_changes.h"
#include "routing/turn_worktree.h"

namespace omk::routing {
namespace {

namespace fs = std::filesystem;
using testing::git;
using testing::make_repo;

std::string git_out(const fs::path& repo, std::vector<std::string> args) {
  test::CommandOptions options;
  options.argv = {"/usr/bin/git", "-C", repo.string()};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  test::CommandResult result = test::run_command(options);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

// Everything of the user's repository that a turn must leave alone, as git reports it.
struct UserState {
  std::string status, staged, index, stash, head, refs;
  static UserState of(const fs::path& repo) {
    return {git_out(repo, {"status", "--porcelain=v1", "--untracked-files=all"}),
            git_out(repo, {"diff", "--cached", "--binary"}),
            git_out(repo, {"ls-files", "--stage"}),
            git_out(repo, {"stash", "list"}),
            git_out(repo, {"rev-parse", "HEAD"}),
            git_out(repo, {"for-each-ref"})};
  }
};

bool executable(const fs::path& file) {
  struct stat st {};
  return ::stat(file.c_str(), &st) == 0 && (st.st_mode & S_IXUSR) != 0;
}

const FileChange* find_change(const TurnChanges& changes, const std::string& path) {
  for (const auto& file : changes.files) {
    if (file.path == path) return &file;
  }
  return nullptr;
}

std::string numbered_lines(int count) {
  std::string text;
  for (int i = 1; i <= count; ++i) text += "line " + std::to_string(i) + "\n";
  return text;
}

std::string replace_line(std::string text, int line, const std::string& with) {
  std::string old = "line " + std::to_string(line) + "\n";
  text.replace(text.find(old), old.size(), with + "\n");
  return text;
}

TEST(TurnWorktree, SnapshotHoldsStagedUnstagedAndUntrackedButNotIgnoredFiles) {
  test::TempDir dir;
  const fs::path& repo = dir.path();
  make_repo(repo);
  test::write_text(repo / "README.md", "hello, edited but not staged\n");
  test::write_text(repo / "staged.txt", "staged\n");
  git(repo, {"add", "staged.txt"});
  fs::create_directories(repo / "new dir");
  test::write_text(repo / "new dir" / "ünïcode näme.txt", "untracked\n");
  fs::create_directories(repo / "build");
  test::write_text(repo / "build" / "out.o", "ignored\n");
  fs::create_directories(repo / ".omk");
  test::write_text(repo / ".omk" / "state.txt", "omk's own\n");

  TurnWorktree wt = create_turn_worktree(repo, "turn-1");
  EXPECT_EQ(wt.path, repo / ".omk" / "worktrees" / "turns" / "turn-1");
  EXPECT_EQ(wt.work_dir, wt.path);
  EXPECT_EQ(wt.head_commit, git_out(repo, {"rev-parse", "HEAD"}).substr(0, 40));
  EXPECT_EQ(test::read_text(wt.path / "README.md"), "hello, edited but not staged\n");
  EXPECT_EQ(test::read_text(wt.path / "staged.txt"), "staged\n");
  EXPECT_EQ(test::read_text(wt.path / "new dir" / "ünïcode näme.txt"), "untracked\n");
  EXPECT_FALSE(fs::exists(wt.path / "build"));
  EXPECT_FALSE(fs::exists(wt.path / ".omk"));
  EXPECT_EQ(git_out(repo, {"rev-parse", wt.snapshot_commit + "^"}).substr(0, 40), wt.head_commit);
  struct stat st {};
  ASSERT_EQ(::stat((repo / ".omk" / "worktrees" / "turns").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_TRUE(turn_changes(wt).empty());
  remove_turn_worktree(wt);
}

TEST(TurnWorktree, UserStatusIndexStashAndHeadAreUntouched) {
  test::TempDir dir;
  const fs::path& repo = dir.path();
  make_repo(repo);
  test::write_text(repo / "README.md", "stashed edit\n");
  git(repo, {"stash", "-q"});
  test::write_text(repo / "README.md", "hello, edited\n");
  test::write_text(repo / "staged.txt", "staged\n");
  git(repo, {"add", "staged.txt"});
  test::write_text(repo / "loose.txt", "untracked\n");
  UserState before = UserState::of(repo);
  ASSERT_FALSE(before.stash.empty());

  TurnWorktree wt = create_turn_worktree(repo, "turn-1");
  UserState after_create = UserState::of(repo);
  EXPECT_EQ(after_create.status, before.status);
  EXPECT_EQ(after_create.staged, before.staged);
  EXPECT_EQ(after_create.index, before.index);
  EXPECT_EQ(after_create.stash, before.stash);
  EXPECT_EQ(after_create.head, before.head);
  EXPECT_EQ(after_create.refs, before.refs);

  test::write_text(wt.path / "agent.txt", "from the agent\n");
  ApplyResult result = apply_turn_changes(wt);
  ASSERT_TRUE(result.applied);
  EXPECT_EQ(test::read_text(repo / "agent.txt"), "from the agent\n");
  UserState after_apply = UserState::of(repo);
  EXPECT_EQ(after_apply.staged, before.staged);
  EXPECT_EQ(after_apply.index, before.index);
  EXPECT_EQ(after_apply.stash, before.stash);
  EXPECT_EQ(after_apply.head, before.head);
  EXPECT_EQ(after_apply.refs, before.refs);

  remove_turn_worktree(wt);
  EXPECT_EQ(UserState::of(repo).status, after_apply.status);
}

TEST(TurnWorktree, CleanApplyOfModifyAddDeleteBinaryAndExecutableBit) {
  test::TempDir dir;
  const fs::path& repo = dir.path();
  make_repo(repo);
  test::write_text(repo / "old.txt", "to be deleted\n");
  fs::create_directories(repo / "gone");
  test::write_text(repo / "gone" / "only.txt", "the directory's only file\n");
  test::write_text(repo / "bin.dat", std::string("\x00\x01\x02 binary", 10));
  test::write_text(repo / "run.sh", "#!/bin/sh\necho hi\n");
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "files"});

  TurnWorktree wt = create_turn_worktree(repo, "turn-1");
  test::write_text(wt.path / "README.md", "hello\nmore\n");
  fs::create_directories(wt.path / "src dir");
  test::write_text(wt.path / "src dir" / "new file.txt", "a\nb\n");
  fs::remove(wt.path / "old.txt");
  fs::remove_all(wt.path / "gone");
  test::write_text(wt.path / "bin.dat", std::string("\x00\x03\x04 changed", 11));
  fs::permissions(wt.path / "run.sh", fs::perms::owner_exec | fs::perms::group_exec,
                  fs::perm_options::add);

  TurnChanges changes = turn_changes(wt);
  ASSERT_EQ(changes.files.size(), 6u) << to_json(changes).dump(2);
  EXPECT_EQ(find_change(changes, "README.md")->status, FileChangeStatus::kModified);
  EXPECT_EQ(find_change(changes, "README.md")->added_lines, 1);
  EXPECT_EQ(find_change(changes, "src dir/new file.txt")->status, FileChangeStatus::kAdded);
  EXPECT_EQ(find_change(changes, "old.txt")->status, FileChangeStatus::kDeleted);
  EXPECT_EQ(find_change(changes, "old.txt")->removed_lines, 1);
  EXPECT_TRUE(find_change(changes, "bin.dat")->binary);
  EXPECT_TRUE(find_change(changes, "run.sh")->mode_changed());
  EXPECT_EQ(find_change(changes, "run.sh")->new_mode, "100755");
  EXPECT_EQ(changes.summary(), "6 files changed, +3 -2");

  ApplyResult result = apply_turn_changes(wt, changes);
  ASSERT_TRUE(result.applied) << to_json(result).dump(2);
  EXPECT_TRUE(result.conflicts.empty());
  EXPECT_EQ(test::read_text(repo / "README.md"), "hello\nmore\n");
  EXPECT_EQ(test::read_text(repo / "src dir" / "new file.txt"), "a\nb\n");
  EXPECT_FALSE(fs::exists(repo / "old.txt"));
  EXPECT_FALSE(fs::exists(repo / "gone"));
  EXPECT_EQ(test::read_text(repo / "bin.dat"), std::string("\x00\x03\x04 changed", 11));
  EXPECT_TRUE(executable(repo / "run.sh"));
  EXPECT_EQ(test::read_text(repo / "run.sh"), "#!/bin/sh\necho hi\n");
  remove_turn_worktree(wt);
}

TEST(TurnWorktree, UserEditInAnotherRegionMergesCleanly) {
  test::TempDir dir;
  const fs::path& repo = dir.path();
  make_repo(repo);
  test::write_text(repo / "code.txt", numbered_lines(12));
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "code"});

  TurnWorktree wt = create_turn_worktree(repo, "turn-1");
  test::write_text(wt.path / "code.txt", replace_line(numbered_lines(12), 2, "agent's line 2"));
  test::write_text(repo / "code.txt", replace_line(numbered_lines(12), 11, "user's line 11"));
  ApplyResult result = apply_turn_changes(wt);
  ASSERT_TRUE(result.applied) << to_json(result).dump(2);
  ASSERT_EQ(result.files.size(), 1u);
  EXPECT_EQ(result.files[0].action, ApplyAction::kMerged);
  EXPECT_EQ(
      test::read_text(repo / "code.txt"),
      replace_line(replace_line(numbered_lines(12), 2, "agent's line 2"), 11, "user's line 11"));
  remove_turn_worktree(wt);
}

TEST(TurnWorktree, OverlappingEditsConflictAndNothingIsWritten) {
  test::TempDir dir;
  const fs::path& repo = dir.path();
  make_repo(repo);
  test::write_text(repo / "code.txt", numbered_lines(5));
  test::write_text(repo / "other.txt", "other\n");
  test::write_text(repo / "doomed.txt", "doomed\n");
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "code"});

  TurnWorktree wt = create_turn_worktree(repo, "turn-1");
  test::write_text(wt.path / "code.txt", replace_line(numbered_lines(5), 3, "agent's line 3"));
  test::write_text(wt.path / "other.txt", "other, changed by the agent\n");
  test::write_text(wt.path / "added.txt", "new\n");
  fs::remove(wt.path / "doomed.txt");
  test::write_text(repo / "code.txt", replace_line(numbered_lines(5), 3, "user's line 3"));

  ApplyResult result = apply_turn_changes(wt);
  EXPECT_FALSE(result.applied);
  EXPECT_TRUE(result.files.empty());
  ASSERT_EQ(result.conflicts.size(), 1u) << to_json(result).dump(2);
  EXPECT_EQ(result.conflicts[0].path, "code.txt");
  EXPECT_NE(result.conflicts[0].reason.find("same lines"), std::string::npos);
  // All or nothing: the files without a conflict were not written either.
  EXPECT_EQ(test::read_text(repo / "code.txt"),
            replace_line(numbered_lines(5), 3, "user's line 3"));
  EXPECT_EQ(test::read_text(repo / "other.txt"), "other\n");
  EXPECT_EQ(test::read_text(repo / "doomed.txt"), "doomed\n");
  EXPECT_FALSE(fs::exists(repo / "added.txt"));
  EXPECT_TRUE(fs::exists(wt.path / "added.txt"));  // left for the user to inspect
  remove_turn_worktree(wt);
}

TEST(TurnWorktree, DeletedAgainstEditedAndBinaryOnBothSidesConflict) {
  test::TempDir dir;
  const fs::path& repo = dir.path();
  make_repo(repo);
  test::write_text(repo / "a.txt", "a\n");
  test::write_text(repo / "b.txt", "b\n");
  test::write_text(repo / "bin.dat", std::string("\x00 one", 5));
  git(repo, {"add", "-A"});
  git(repo, {"commit", "-q", "-m", "files"});

  TurnWorktree wt = create_turn_worktree(repo, "turn-1");
  fs::remove(wt.path / "a.txt");
  test::write_text(repo / "a.txt", "a, edited by the user\n");
  test::write_text(wt.path / "b.txt", "b, edited by the agent\n");
  fs::remove(repo / "b.txt");
  test::write_text(wt.path / "bin.dat", std::string("\x00 two", 5));
  test::write_text(repo / "bin.dat", std::string("\x00 six", 5));
  test::write_text(wt.path / "both.txt", "agent's\n");
  test::write_text(repo / "both.txt", "user's\n");

  ApplyResult result = apply_turn_changes(wt);
  EXPECT_FALSE(result.applied);
  ASSERT_EQ(result.conflicts.size(), 4u) << to_json(result).dump(2);
  std::map<std::string, std::string> reasons;
  for (const auto& conflict : result.conflicts) reasons[conflict.path] = conflict.reason;
  EXPECT_NE(reasons["a.txt"].find("the agent deleted"), std::string::npos);
  EXPECT_NE(reasons["b.txt"].find("you deleted"), std::string::npos);
  EXPECT_NE(reasons["bin.dat"].find("binary"), std::string::npos);
  EXPECT_NE(reasons["both.txt"].find("both created"), std::string::npos);
  EXPECT_EQ(test::read_text(repo / "a.txt"), "a, edited by the user\n");
  EXPECT_FALSE(fs::exists(repo / "b.txt"));
  EXPECT_EQ(test::read_text(repo / "both.txt"), "user's\n");
  remove_turn_worktree(wt);
}

TEST(TurnWorktree, SameChangeOnBothSidesIsUnchanged) {
  test::TempDir dir;
  const fs::path& repo = dir.path();
  make_repo(repo);
  TurnWorktree wt = create_turn_worktree(repo, "turn-1");
  test::write_text(wt.path / "README.md", "same\n");
  test::write_text(repo / "README.md", "same\n");
  ApplyResult result = apply_turn_changes(wt);
  ASSERT_TRUE(result.applied);
  ASSERT_EQ(result.files.size(), 1u);
  EXPECT_EQ(result.files[0].action, ApplyAction::kUnchanged);
  remove_turn_worktree(wt);
}

TEST(TurnWorktree, AgentCommitsInsideTheWorktreeStillApply) {
  test::TempDir dir;
  const fs::path& repo = dir.path();
  make_repo(repo);
  std::string head = git_out(repo, {"rev-parse", "HEAD"});
  TurnWorktree wt = create_turn_worktree(repo, "turn-1");
  test::write_text(wt.path / "committed.txt", "committed by the agent\n");
  git(wt.path, {"add", "-A"});
  git(wt.path, {"commit", "-q", "-m", "agent"});
  test::write_text(wt.path / "README.md", "uncommitted by the agent\n");

  TurnChanges changes = turn_changes(wt);
  EXPECT_EQ(changes.files.size(), 2u);
  ApplyResult result = apply_turn_changes(wt, changes);
  ASSERT_TRUE(result.applied) << to_json(result).dump(2);
  EXPECT_EQ(test::read_text(repo / "committed.txt"), "committed by the agent\n");
  EXPECT_EQ(test::read_text(repo / "README.md"), "uncommitted by the agent\n");
  EXPECT_EQ(git_out(repo, {"rev-parse", "HEAD"}), head);
  remove_turn_worktree(wt);
}

TEST(TurnWorktree, RemoveIsIdempotent) {
  test::TempDir dir;
  const fs::path& repo = dir.path();
  make_repo(repo);
  TurnWorktree wt = create_turn_worktree(repo, "turn-1");
  test::write_text(wt.path / "scratch.txt", "left behind\n");
  remove_turn_worktree(wt);
  EXPECT_FALSE(fs::exists(wt.path));
  EXPECT_NO_THROW(remove_turn_worktree(wt));
  std::string list = git_out(repo, {"worktree", "list", "--porcelain"});
  EXPECT_EQ(list.find("turn-1"), std::string::npos) << list;
  // The same turn id can be used again once removed.
  TurnWorktree again = create_turn_worktree(repo, "turn-1");
  EXPECT_THROW(create_turn_worktree(repo, "turn-1"), UserError);
  remove_turn_worktree(again);
}

TEST(TurnWorktree, GitVariablesOfOmksEnvironmentDoNotLeakIn) {
  test::TempDir dir;
  test::TempDir elsewhere;
  const fs::path& repo = dir.path();
  make_repo(repo);
  test::write_text(repo / "README.md", "edited\n");
  std::string index = (elsewhere.path() / "index").string();
  ::setenv("GIT_DIR", (elsewhere.path() / "nope.git").c_str(), 1);
  ::setenv("GIT_INDEX_FILE", index.c_str(), 1);
  ::setenv("GIT_WORK_TREE", elsewhere.path().c_str(), 1);
  TurnWorktree wt;
  EXPECT_NO_THROW(wt = create_turn_worktree(repo, "turn-1"));
  ::unsetenv("GIT_DIR");
  ::unsetenv("GIT_INDEX_FILE");
  ::unsetenv("GIT_WORK_TREE");
  EXPECT_EQ(test::read_text(wt.path / "README.md"), "edited\n");
  EXPECT_FALSE(fs::exists(index));
  remove_turn_worktree(wt);
}

TEST(TurnWorktree, OutsideAGitRepositoryIsAUserError) {
  test::TempDir dir;
  try {
    create_turn_worktree(dir.path(), "turn-1");
    FAIL() << "expected UserError";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ExitCode::kUsage);
    EXPECT_NE(std::string(error.what()).find("not inside a git work tree"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(dir.path() / ".omk"));
}

TEST(TurnWorktree, TurnIdMustBeAPlainName) {
  test::TempDir dir;
  make_repo(dir.path());
  for (const char* id : {"", "../up", "a/b", ".hidden", "two words"}) {
    EXPECT_THROW(create_turn_worktree(dir.path(), id), UserError) << id;
  }
}

TEST(TurnWorktree, RepositoryWithoutCommitsSnapshotsARootCommit) {
  test::TempDir dir;
  const fs::path& repo = dir.path();
  test::git_init(repo);
  test::write_text(repo / "first.txt", "first\n");
  TurnWorktree wt = create_turn_worktree(repo, "turn-1");
  EXPECT_TRUE(wt.head_commit.empty());
  EXPECT_EQ(test::read_text(wt.path / "first.txt"), "first\n");
  test::write_text(wt.path / "first.txt", "first, by the agent\n");
  ASSERT_TRUE(apply_turn_changes(wt).applied);
  EXPECT_EQ(test::read_text(repo / "first.txt"), "first, by the agent\n");
  remove_turn_worktree(wt);
}

TEST(TurnWorktree, ProjectInASubdirectoryWorksFromItsPlaceInTheWorktree) {
  test::TempDir dir;
  const fs::path& repo = dir.path();
  make_repo(repo);
  fs::create_directories(repo / "pkg");
  test::write_text(repo / "pkg" / "lib.txt", "lib\n");
  TurnWorktree wt = create_turn_worktree(repo / "pkg", "turn-1");
  EXPECT_EQ(wt.path, repo / "pkg" / ".omk" / "worktrees" / "turns" / "turn-1");
  EXPECT_EQ(wt.work_dir, wt.path / "pkg");
  test::write_text(wt.work_dir / "lib.txt", "lib, by the agent\n");
  TurnChanges changes = turn_changes(wt);
  ASSERT_EQ(changes.files.size(), 1u) << to_json(changes).dump(2);
  EXPECT_EQ(changes.files[0].path, "pkg/lib.txt");
  ASSERT_TRUE(apply_turn_changes(wt, changes).applied);
  EXPECT_EQ(test::read_text(repo / "pkg" / "lib.txt"), "lib, by the agent\n");
  remove_turn_worktree(wt);
}

TEST(TurnWorktree, ApplyNeverWritesThroughASymlinkedParent) {
  test::TempDir dir;
  test::TempDir outside;
  const fs::path& repo = dir.path();
  make_repo(repo);
  fs::create_directories(repo / "sub");
  test::write_text(repo / "sub" / "keep.txt", "keep\n");
  TurnWorktree wt = create_turn_worktree(repo, "turn-1");
  test::write_text(wt.path / "sub" / "new.txt", "new\n");
  fs::remove_all(repo / "sub");
  fs::create_directory_symlink(outside.path(), repo / "sub");
  ApplyResult result = apply_turn_changes(wt);
  EXPECT_FALSE(result.applied);
  EXPECT_FALSE(fs::exists(outside.path() / "new.txt"));
  remove_turn_worktree(wt);
}

TEST(TurnWorktree, JsonCarriesNamesAndCountsNotContents) {
  test::TempDir dir;
  const fs::path& repo = dir.path();
  make_repo(repo);
  TurnWorktree wt = create_turn_worktree(repo, "turn-1");
  test::write_text(wt.path / "README.md", "secret-looking content 12345\n");
  TurnChanges changes = turn_changes(wt);
  Json changes_json = to_json(changes);
  EXPECT_EQ(changes_json["summary"], "1 file changed, +1 -1");
  EXPECT_EQ(changes_json["files"][0]["path"], "README.md");
  EXPECT_EQ(changes_json["files"][0]["status"], "modified");
  Json result_json = to_json(apply_turn_changes(wt, changes));
  EXPECT_EQ(result_json["applied"], true);
  EXPECT_EQ(result_json["files"][0]["action"], "replaced");
  EXPECT_EQ(changes_json.dump().find("12345"), std::string::npos);
  EXPECT_EQ(result_json.dump().find("12345"), std::string::npos);
  remove_turn_worktree(wt);
}

}  // namespace
}  // namespace omk::routing
