#include "core/scaffold.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "test_support.h"

namespace omk {
namespace {
namespace fs = std::filesystem;
using test::read_text;
using test::write_text;

ScaffoldPlan sample_plan() {
  ScaffoldPlan plan;
  plan.directories = {".omk"};
  plan.files = {{".omk/config.toml", "generated\n", FilePolicy::kGenerated},
                {"AGENTS.md", "agents\n", FilePolicy::kCreateOnly},
                {".gitignore", "# omk\n.omk/runs/\n.omk/*.db\n", FilePolicy::kEnsureLines}};
  return plan;
}

ScaffoldAction action_for(const std::vector<ScaffoldOutcome>& outcomes, const std::string& path) {
  for (const auto& outcome : outcomes) {
    if (outcome.path == path) return outcome.action;
  }
  ADD_FAILURE() << "no outcome for " << path;
  return ScaffoldAction::kKept;
}

TEST(Scaffold, CreatesEverythingOnAFreshProject) {
  test::TempDir tmp;
  auto outcomes = apply_scaffold(tmp.path(), sample_plan(), {});
  EXPECT_EQ(action_for(outcomes, ".omk/"), ScaffoldAction::kCreated);
  EXPECT_EQ(action_for(outcomes, ".omk/config.toml"), ScaffoldAction::kCreated);
  EXPECT_EQ(read_text(tmp.path() / ".omk/config.toml"), "generated\n");
  EXPECT_EQ(read_text(tmp.path() / ".gitignore"), "# omk\n.omk/runs/\n.omk/*.db\n");
}

TEST(Scaffold, RerunKeepsUserEditsAndReportsThem) {
  test::TempDir tmp;
  apply_scaffold(tmp.path(), sample_plan(), {});
  write_text(tmp.path() / ".omk/config.toml", "mine\n");
  write_text(tmp.path() / "AGENTS.md", "my agents\n");
  auto outcomes = apply_scaffold(tmp.path(), sample_plan(), {});
  EXPECT_EQ(action_for(outcomes, ".omk/config.toml"), ScaffoldAction::kKept);
  EXPECT_EQ(action_for(outcomes, "AGENTS.md"), ScaffoldAction::kKept);
  EXPECT_EQ(action_for(outcomes, ".gitignore"), ScaffoldAction::kUnchanged);
  EXPECT_EQ(read_text(tmp.path() / ".omk/config.toml"), "mine\n");
}

TEST(Scaffold, ForceSavesANumberedBackupBeforeRewriting) {
  test::TempDir tmp;
  apply_scaffold(tmp.path(), sample_plan(), {});
  write_text(tmp.path() / ".omk/config.toml", "edit one\n");
  auto first = apply_scaffold(tmp.path(), sample_plan(), {.force = true});
  EXPECT_EQ(action_for(first, ".omk/config.toml"), ScaffoldAction::kOverwritten);
  EXPECT_EQ(read_text(tmp.path() / ".omk/config.toml.bak"), "edit one\n");
  write_text(tmp.path() / ".omk/config.toml", "edit two\n");
  apply_scaffold(tmp.path(), sample_plan(), {.force = true});
  EXPECT_EQ(read_text(tmp.path() / ".omk/config.toml.bak"), "edit one\n");
  EXPECT_EQ(read_text(tmp.path() / ".omk/config.toml.bak.2"), "edit two\n");
  EXPECT_EQ(read_text(tmp.path() / ".omk/config.toml"), "generated\n");
}

TEST(Scaffold, ForceNeverRewritesCreateOnlyFiles) {
  test::TempDir tmp;
  write_text(tmp.path() / "AGENTS.md", "my agents\n");
  auto outcomes = apply_scaffold(tmp.path(), sample_plan(), {.force = true});
  EXPECT_EQ(action_for(outcomes, "AGENTS.md"), ScaffoldAction::kKept);
  EXPECT_EQ(read_text(tmp.path() / "AGENTS.md"), "my agents\n");
}

TEST(Scaffold, EnsureLinesAppendsOnlyWhatIsMissing) {
  test::TempDir tmp;
  write_text(tmp.path() / ".gitignore", "node_modules/\n.omk/runs/");
  auto outcomes = apply_scaffold(tmp.path(), sample_plan(), {});
  EXPECT_EQ(action_for(outcomes, ".gitignore"), ScaffoldAction::kUpdated);
  EXPECT_EQ(read_text(tmp.path() / ".gitignore"),
            "node_modules/\n.omk/runs/\n\n# omk\n.omk/*.db\n");
}

TEST(Scaffold, DryRunWritesNothing) {
  test::TempDir tmp;
  auto outcomes = apply_scaffold(tmp.path(), sample_plan(), {.dry_run = true});
  EXPECT_EQ(action_for(outcomes, ".omk/config.toml"), ScaffoldAction::kCreated);
  EXPECT_TRUE(fs::is_empty(tmp.path()));
}

TEST(Scaffold, AFailureUndoesEverythingDoneBefore) {
  test::TempDir tmp;
  write_text(tmp.path() / ".gitignore", "keep me\n");
  ScaffoldPlan plan = sample_plan();
  fs::create_directories(tmp.path() / "blocker");  // a directory where a file must go
  plan.files.push_back({"blocker", "x", FilePolicy::kGenerated});
  try {
    apply_scaffold(tmp.path(), plan, {});
    FAIL();
  } catch (const UserError& error) {
    EXPECT_NE(std::string(error.what()).find("nothing was changed"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(tmp.path() / ".omk"));
  EXPECT_FALSE(fs::exists(tmp.path() / "AGENTS.md"));
  EXPECT_EQ(read_text(tmp.path() / ".gitignore"), "keep me\n");
}

}  // namespace
}  // namespace omk
