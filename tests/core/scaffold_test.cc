#include "core/scaffold.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

namespace omk {
namespace {

ScaffoldPlan merge_plan() {
  ScaffoldPlan plan;
  plan.directories = {".claude"};
  plan.files = {
      {".claude/settings.json",
       R"({"hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"omk"}]}]}})",
       FilePolicy::kMergeJson}};
  return plan;
}

TEST(ScaffoldMergeJson, CreatesAMissingFile) {
  test::TempDir tmp;
  auto outcomes = apply_scaffold(tmp.path(), merge_plan(), {});
  EXPECT_EQ(action_for(outcomes, ".claude/settings.json"), ScaffoldAction::kCreated);
  auto doc = nlohmann::json::parse(read_text(tmp.path() / ".claude/settings.json"));
  EXPECT_EQ(doc["hooks"]["PreToolUse"][0]["matcher"], "Bash");
}

TEST(ScaffoldMergeJson, MergesIntoTheUsersSettingsKeepingEverything) {
  test::TempDir tmp;
  std::string mine =
      R"json({"model": "opus", "permissions": {"allow": ["Bash(ls)"]},
          "hooks": {"PreToolUse": [{"matcher": "Write", "hooks": [{"type": "command", "command": "mine"}]}],
                    "Stop": [{"hooks": [{"type": "command", "command": "notify"}]}]}})json";
  write_text(tmp.path() / ".claude/settings.json", mine);
  auto outcomes = apply_scaffold(tmp.path(), merge_plan(), {});
  ASSERT_EQ(outcomes.back().action, ScaffoldAction::kUpdated);
  EXPECT_EQ(outcomes.back().backup, ".claude/settings.json.bak");
  EXPECT_EQ(read_text(tmp.path() / ".claude/settings.json.bak"), mine);
  auto doc = nlohmann::json::parse(read_text(tmp.path() / ".claude/settings.json"));
  EXPECT_EQ(doc["model"], "opus");
  EXPECT_EQ(doc["permissions"]["allow"][0], "Bash(ls)");
  EXPECT_EQ(doc["hooks"]["Stop"][0]["hooks"][0]["command"], "notify");
  ASSERT_EQ(doc["hooks"]["PreToolUse"].size(), 2u);
  EXPECT_EQ(doc["hooks"]["PreToolUse"][0]["matcher"], "Write");
  EXPECT_EQ(doc["hooks"]["PreToolUse"][1]["matcher"], "Bash");
  // A second run finds everything in place.
  auto again = apply_scaffold(tmp.path(), merge_plan(), {});
  EXPECT_EQ(again.back().action, ScaffoldAction::kUnchanged);
}

TEST(ScaffoldMergeJson, KeepsAFileItCannotMergeUnlessForced) {
  test::TempDir tmp;
  write_text(tmp.path() / ".claude/settings.json", "{ not json");
  auto kept = apply_scaffold(tmp.path(), merge_plan(), {});
  EXPECT_EQ(kept.back().action, ScaffoldAction::kKept);
  EXPECT_NE(kept.back().note.find("--force"), std::string::npos);
  EXPECT_EQ(read_text(tmp.path() / ".claude/settings.json"), "{ not json");
  write_text(tmp.path() / ".claude/settings.json", R"({"hooks": "conflict"})");
  EXPECT_EQ(apply_scaffold(tmp.path(), merge_plan(), {}).back().action, ScaffoldAction::kKept);
  auto forced = apply_scaffold(tmp.path(), merge_plan(), {.force = true});
  EXPECT_EQ(forced.back().action, ScaffoldAction::kOverwritten);
  EXPECT_EQ(read_text(tmp.path() / ".claude/settings.json.bak"), R"({"hooks": "conflict"})");
}

TEST(ScaffoldMergeJson, DryRunWritesNothing) {
  test::TempDir tmp;
  write_text(tmp.path() / ".claude/settings.json", R"({"model": "opus"})");
  auto outcomes = apply_scaffold(tmp.path(), merge_plan(), {.dry_run = true});
  EXPECT_EQ(outcomes.back().action, ScaffoldAction::kUpdated);
  EXPECT_EQ(read_text(tmp.path() / ".claude/settings.json"), R"({"model": "opus"})");
  EXPECT_FALSE(fs::exists(tmp.path() / ".claude/settings.json.bak"));
}

}  // namespace
}  // namespace omk
