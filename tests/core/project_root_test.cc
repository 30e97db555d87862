#include "core/project_root.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "test_support.h"

namespace omk {
namespace {
namespace fs = std::filesystem;
using test::TempDir;
using test::write_text;

RootQuery query_at(const fs::path& cwd, std::optional<fs::path> home = std::nullopt) {
  RootQuery query;
  query.cwd = cwd;
  query.home = home;
  return query;
}

TEST(ProjectRoot, FindsConfigMarkerInAParent) {
  TempDir tmp;
  write_text(tmp.path() / "proj/.omk/config.toml", "");
  fs::create_directories(tmp.path() / "proj/src/deep");
  auto root = resolve_project_root(query_at(tmp.path() / "proj/src/deep"));
  EXPECT_EQ(root.path, tmp.path() / "proj");
  EXPECT_EQ(root.source, RootSource::kMarker);
}

TEST(ProjectRoot, KimiDirectoryIsAMarker) {
  TempDir tmp;
  fs::create_directories(tmp.path() / "proj/.kimi");
  fs::create_directories(tmp.path() / "proj/a");
  auto root = resolve_project_root(query_at(tmp.path() / "proj/a"));
  EXPECT_EQ(root.path, tmp.path() / "proj");
  EXPECT_EQ(root.source, RootSource::kMarker);
}

TEST(ProjectRoot, GitTopLevelWhenNoMarker) {
  TempDir tmp;
  test::git_init(tmp.path() / "repo");
  fs::create_directories(tmp.path() / "repo/sub");
  auto root = resolve_project_root(query_at(tmp.path() / "repo/sub"));
  EXPECT_EQ(root.path, tmp.path() / "repo");
  EXPECT_EQ(root.source, RootSource::kGit);
}

TEST(ProjectRoot, MarkerAboveTheRepositoryBelongsToAnotherProject) {
  TempDir tmp;
  write_text(tmp.path() / ".omk/config.toml", "");
  test::git_init(tmp.path() / "nested");
  auto root = resolve_project_root(query_at(tmp.path() / "nested"));
  EXPECT_EQ(root.path, tmp.path() / "nested");
  EXPECT_EQ(root.source, RootSource::kGit);
}

TEST(ProjectRoot, MarkerInsideTheRepositoryWinsOverItsTopLevel) {
  TempDir tmp;
  test::git_init(tmp.path() / "mono");
  write_text(tmp.path() / "mono/pkg/.omk/config.toml", "");
  fs::create_directories(tmp.path() / "mono/pkg/src");
  auto root = resolve_project_root(query_at(tmp.path() / "mono/pkg/src"));
  EXPECT_EQ(root.path, tmp.path() / "mono/pkg");
}

TEST(ProjectRoot, FallsBackToTheWorkingDirectory) {
  TempDir tmp;
  fs::create_directories(tmp.path() / "plain/dir");
  auto root = resolve_project_root(query_at(tmp.path() / "plain/dir"));
  EXPECT_EQ(root.path, tmp.path() / "plain/dir");
  EXPECT_EQ(root.source, RootSource::kCwd);
}

TEST(ProjectRoot, HomeMarkersAreUserLevelNotAProject) {
  TempDir tmp;
  fs::path home = tmp.path() / "home";
  fs::create_directories(home / ".kimi");
  write_text(home / ".omk/config.toml", "");
  fs::create_directories(home / "work/thing");
  auto root = resolve_project_root(query_at(home / "work/thing", home));
  EXPECT_EQ(root.path, home / "work/thing");
  EXPECT_EQ(root.source, RootSource::kCwd);
}

TEST(ProjectRoot, RefusesHomeAsAnImplicitRoot) {
  TempDir tmp;
  fs::path home = tmp.path() / "home";
  fs::create_directories(home / ".kimi");
  try {
    resolve_project_root(query_at(home, home));
    FAIL() << "HOME was accepted";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ExitCode::kUsage);
    EXPECT_NE(std::string(error.what()).find("--project"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("OMK_PROJECT_ROOT"), std::string::npos);
  }
}

TEST(ProjectRoot, RefusesAGitRepositoryAtHome) {
  TempDir tmp;
  fs::path home = tmp.path() / "home";
  test::git_init(home);
  fs::create_directories(home / "notes");
  EXPECT_THROW(resolve_project_root(query_at(home / "notes", home)), UserError);
}

TEST(ProjectRoot, ExplicitFlagWinsAndMayBeHome) {
  TempDir tmp;
  fs::path home = tmp.path() / "home";
  fs::create_directories(home);
  RootQuery query = query_at(tmp.path(), home);
  query.flag = home;
  query.env_project_root = tmp.path();
  auto root = resolve_project_root(query);
  EXPECT_EQ(root.path, home);
  EXPECT_EQ(root.source, RootSource::kFlag);
}

TEST(ProjectRoot, EnvironmentRootIsUsedWhenNoFlag) {
  TempDir tmp;
  fs::create_directories(tmp.path() / "p");
  RootQuery query = query_at(tmp.path());
  query.env_project_root = "p";  // relative to cwd
  auto root = resolve_project_root(query);
  EXPECT_EQ(root.path, tmp.path() / "p");
  EXPECT_EQ(root.source, RootSource::kEnv);
}

TEST(ProjectRoot, MissingExplicitRootIsAUsageError) {
  TempDir tmp;
  RootQuery query = query_at(tmp.path());
  query.flag = tmp.path() / "nope";
  try {
    resolve_project_root(query);
    FAIL();
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ExitCode::kUsage);
    EXPECT_NE(std::string(error.what()).find("nope"), std::string::npos);
  }
  write_text(tmp.path() / "file", "x");
  query.flag = tmp.path() / "file";
  EXPECT_THROW(resolve_project_root(query), UserError);
}

}  // namespace
}  // namespace omk
