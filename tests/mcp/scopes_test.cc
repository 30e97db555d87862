#include "mcp/scopes.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace omk::mcp {
namespace {

std::vector<std::string> displays(const std::vector<ActiveFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.display);
  return out;
}

TEST(Scopes, ProjectScopeReadsOnlyProjectFilesKimiLast) {
  Locations locations{"/work/p", std::filesystem::path("/home/u")};
  ToolPlaneFiles files = active_tool_plane_files(locations, {});
  EXPECT_EQ(displays(files.mcp), (std::vector<std::string>{".omk/mcp.json", ".kimi/mcp.json"}));
  for (const auto& f : files.skill_dirs) EXPECT_EQ(f.origin, Origin::kProject) << f.display;
  for (const auto& f : files.hooks) EXPECT_EQ(f.origin, Origin::kProject) << f.display;
  EXPECT_EQ(files.skill_dirs.front().display, ".kimi/skills");
}

TEST(Scopes, AllScopeAddsUserFilesFirst) {
  Locations locations{"/work/p", std::filesystem::path("/home/u")};
  ToolPlaneFiles files =
      active_tool_plane_files(locations, {Scope::kAll, Scope::kAll, Scope::kAll});
  EXPECT_EQ(displays(files.mcp), (std::vector<std::string>{"~/.omk/mcp.json", "~/.kimi/mcp.json",
                                                           ".omk/mcp.json", ".kimi/mcp.json"}));
  EXPECT_EQ(files.mcp[0].origin, Origin::kUser);
  EXPECT_EQ(files.mcp[3].origin, Origin::kProject);
  EXPECT_EQ(files.skill_dirs.front().display, "~/.kimi/skills");
  EXPECT_EQ(files.hooks.front().display, "~/.kimi/config.toml");
}

TEST(Scopes, EachResourceHasItsOwnScope) {
  Locations locations{"/work/p", std::filesystem::path("/home/u")};
  ToolPlaneFiles files =
      active_tool_plane_files(locations, {Scope::kNone, Scope::kAll, Scope::kProject});
  EXPECT_TRUE(files.mcp.empty());
  EXPECT_EQ(files.skill_dirs.front().origin, Origin::kUser);
  EXPECT_EQ(files.hooks.front().origin, Origin::kProject);
}

TEST(Scopes, HomeThatIsTheProjectIsNotReadTwice) {
  Locations locations{"/home/u", std::filesystem::path("/home/u")};
  ToolPlaneFiles files =
      active_tool_plane_files(locations, {Scope::kAll, Scope::kAll, Scope::kAll});
  EXPECT_EQ(files.mcp.size(), 2u);
}

TEST(Scopes, WritersTargetTheHighestPrecedenceProjectFile) {
  Locations locations{"/work/p", std::filesystem::path("/home/u")};
  auto files = active_tool_plane_files(locations, {});
  EXPECT_EQ(project_mcp_file(locations), files.mcp.back().path);
}

TEST(Scopes, DisplayPathsAreRelativeOrTilde) {
  Locations locations{"/work/p", std::filesystem::path("/home/u")};
  EXPECT_EQ(display_path("/work/p/.kimi/mcp.json", locations), ".kimi/mcp.json");
  EXPECT_EQ(display_path("/home/u/.codex/config.toml", locations), "~/.codex/config.toml");
  EXPECT_EQ(display_path("/work/pp/x", locations), "/work/pp/x");
  EXPECT_EQ(display_path("/etc/x", locations), "/etc/x");
}

}  // namespace
}  // namespace omk::mcp
