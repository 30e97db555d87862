#include "core/project_setup.h"

#include <gtest/gtest.h>

#include "core/config.h"

namespace omk {
namespace {

TEST(ProjectSetup, ConfigTemplateIsValidAndListsEveryKey) {
  for (bool local_user : {false, true}) {
    std::string text = default_config_toml(local_user);
    Config config = parse_config(text, "template", {});
    EXPECT_TRUE(config.warnings().empty());
    for (const ConfigKey& key : config_schema()) {
      if (key.path.find('*') != std::string_view::npos) continue;
      EXPECT_EQ(config.source(key.path), ValueSource::kFile) << key.path << " missing";
      bool scope_key = key.path.starts_with("scopes.");
      if (!(scope_key && local_user)) {
        EXPECT_EQ(config.get(key.path), key.default_value) << key.path << " differs from default";
      }
    }
    EXPECT_EQ(config.mcp_scope(), local_user ? Scope::kAll : Scope::kProject);
    EXPECT_EQ(config.hooks_scope(), local_user ? Scope::kAll : Scope::kProject);
  }
}

TEST(ProjectSetup, PlanSeparatesOmkStateFromTheAgentSurface) {
  ScaffoldPlan plan = project_setup_plan({});
  std::vector<std::string> paths;
  for (const auto& file : plan.files) paths.push_back(file.relative.string());
  for (const char* expected :
       {".omk/config.toml", ".omk/mcp.json", ".kimi/mcp.json", "AGENTS.md", ".gitignore"}) {
    EXPECT_NE(std::find(paths.begin(), paths.end(), expected), paths.end()) << expected;
  }
}

}  // namespace
}  // namespace omk
