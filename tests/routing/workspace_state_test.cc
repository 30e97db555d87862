#include <gtest/gtest.h>

#include <algorithm>

#include "git_fixture.h"
#include "routing/workspace_state.h"

namespace omk::routing {
namespace {

using testing::git;
using testing::make_repo;

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(WorkspaceState, UnchangedWorkspaceIsUnchanged) {
  test::TempDir dir;
  make_repo(dir.path());
  auto before = snapshot_workspace(dir.path());
  ASSERT_TRUE(before);
  EXPECT_FALSE(before->head.empty());
  EXPECT_FALSE(before->tree.empty());
  WorkspaceChange change = workspace_change(dir.path(), *before);
  EXPECT_TRUE(change.known);
  EXPECT_FALSE(change.changed);
  EXPECT_TRUE(change.paths.empty());
}

TEST(WorkspaceState, DetectsEditsNewFilesAndDeletionsButNotIgnoredFiles) {
  test::TempDir dir;
  make_repo(dir.path());
  test::write_text(dir.path() / "notes.txt", "the user's own uncommitted work\n");
  auto before = snapshot_workspace(dir.path());
  ASSERT_TRUE(before);

  std::filesystem::create_directories(dir.path() / "build");
  test::write_text(dir.path() / "build" / "out.o", "ignored\n");
  WorkspaceChange ignored = workspace_change(dir.path(), *before);
  EXPECT_TRUE(ignored.known);
  EXPECT_FALSE(ignored.changed);

  test::write_text(dir.path() / "README.md", "changed by an agent\n");
  test::write_text(dir.path() / "src" / "new.cc", "int x;\n");
  std::filesystem::remove(dir.path() / "notes.txt");
  WorkspaceChange change = workspace_change(dir.path(), *before);
  EXPECT_TRUE(change.known);
  EXPECT_TRUE(change.changed);
  EXPECT_FALSE(change.head_moved);
  EXPECT_TRUE(contains(change.paths, "README.md"));
  EXPECT_TRUE(contains(change.paths, "src/new.cc"));
  EXPECT_TRUE(contains(change.paths, "notes.txt"));
  EXPECT_EQ(change.paths.size(), 3u);
}

TEST(WorkspaceState, DetectsACommitAndLeavesTheUsersIndexAlone) {
  test::TempDir dir;
  make_repo(dir.path());
  test::write_text(dir.path() / "staged.txt", "staged\n");
  git(dir.path(), {"add", "staged.txt"});
  test::write_text(dir.path() / "unstaged.txt", "unstaged\n");
  auto before = snapshot_workspace(dir.path());
  ASSERT_TRUE(before);
  // The user's index still stages exactly staged.txt.
  auto status = uncommitted_paths(dir.path());
  ASSERT_TRUE(status);
  EXPECT_TRUE(contains(*status, "staged.txt"));
  EXPECT_TRUE(contains(*status, "unstaged.txt"));
  test::CommandOptions options;
  options.argv = {"/usr/bin/git", "-C", dir.path().string(), "diff", "--cached", "--name-only"};
  EXPECT_EQ(test::run_command(options).out, "staged.txt\n");

  git(dir.path(), {"commit", "-q", "-m", "an agent commits"});
  WorkspaceChange change = workspace_change(dir.path(), *before);
  EXPECT_TRUE(change.known);
  EXPECT_TRUE(change.changed);
  EXPECT_TRUE(change.head_moved);
}

TEST(WorkspaceState, RepositoryWithoutCommitsAndSubdirectories) {
  test::TempDir dir;
  test::git_init(dir.path());
  test::write_text(dir.path() / "a" / "b.txt", "x\n");
  auto before = snapshot_workspace(dir.path() / "a");
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->head.empty());
  test::write_text(dir.path() / "c.txt", "outside the subdirectory, same repository\n");
  WorkspaceChange change = workspace_change(dir.path() / "a", *before);
  EXPECT_TRUE(change.changed);
  EXPECT_TRUE(contains(change.paths, "c.txt"));
}

TEST(WorkspaceState, NotARepositoryIsUnknown) {
  test::TempDir dir;
  std::string error;
  EXPECT_FALSE(snapshot_workspace(dir.path(), &error));
  EXPECT_NE(error.find("not a git work tree"), std::string::npos);
  WorkspaceChange change = workspace_change(dir.path(), WorkspaceSnapshot{"", "deadbeef"});
  EXPECT_FALSE(change.known);
  EXPECT_FALSE(uncommitted_paths(dir.path()));
}

}  // namespace
}  // namespace omk::routing
