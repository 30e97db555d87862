// Write-capable chat turns in a disposable git worktree: the agent (the real pinned `claude`,
// driven by the scripted model) sees the user's uncommitted work, its changes are shown and
// applied back, and a concurrent edit of the same lines is reported instead of overwritten.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "chat_fixture.h"

namespace omk::repl {
namespace {

namespace fs = std::filesystem;
using test_fixture::ChatProject;
using test_fixture::script;

constexpr const char* kPrompt = "omk> ";

#define REQUIRE_PEERS(project) \
  if (!(project).use_peers())  \
  GTEST_SKIP() << "tests/peers not installed (scripts/bootstrap --tests)"

std::string git(const ChatProject& project, const std::vector<std::string>& args) {
  omk::test::CommandOptions options;
  options.argv = {"/usr/bin/git", "-C", project.root.string(), "-c",
                  "user.name=t",  "-c", "user.email=t@t"};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  auto result = omk::test::run_command(options);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

bool turn_worktrees_left(const ChatProject& project) {
  fs::path dir = project.root / ".omk/worktrees/turns";
  if (!fs::exists(dir)) return false;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory()) return true;
  }
  return false;
}

TEST(ChatWorktree, AShellTurnWorksOnTheUsersStateInAWorktreeAndIsAppliedBack) {
  ChatProject project;
  REQUIRE_PEERS(project);
  // The user's uncommitted edit and an untracked file: the agent must see both.
  omk::test::write_text(project.root / "main.cc", "int main() { return 1; }\n");
  omk::test::write_text(project.root / "notes.txt", "draft notes\n");
  nlohmann::json steps = {{{"shell", "cat notes.txt main.cc > seen.txt; echo hello > out.txt"}},
                          {{"text", "done"}}};
  omk::test::ModelServer model(script(steps.dump()));
  project.claude_at(model);
  std::string status_before = git(project, {"status", "--porcelain"});

  auto chat = project.start({"chat", "--provider", "claude", "--execution", "auto"});
  size_t at = chat->wait_for(kPrompt);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("run a script that writes out.txt\n");
  at = chat->wait_for("[turn-1] succeeded", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  EXPECT_NE(chat->output().find("changes: 2 files changed"), std::string::npos) << chat->output();
  EXPECT_NE(chat->output().find("applied to the project"), std::string::npos) << chat->output();
  chat->type("/exit\n");
  EXPECT_EQ(chat->wait_exit(), 0) << chat->output();

  EXPECT_EQ(omk::test::read_text(project.root / "out.txt"), "hello\n");
  EXPECT_EQ(omk::test::read_text(project.root / "seen.txt"),
            "draft notes\nint main() { return 1; }\n");
  // The user's own work is as it was; no stash, no worktree left behind.
  EXPECT_EQ(omk::test::read_text(project.root / "main.cc"), "int main() { return 1; }\n");
  EXPECT_EQ(git(project, {"stash", "list"}), "");
  EXPECT_FALSE(turn_worktrees_left(project));
  std::string status_after = git(project, {"status", "--porcelain"});
  EXPECT_NE(status_after.find("?? out.txt"), std::string::npos) << status_after;
  EXPECT_NE(status_after.find("M main.cc"), std::string::npos) << status_after;

  nlohmann::json result = nlohmann::json::parse(omk::test::read_text(
      project.root / ".omk/runs" / project.only_run_id() / "lanes/turn-1/result.json"));
  EXPECT_EQ(omk::test::schema_errors("omk.turn.v1", result.dump()), "");
  EXPECT_EQ(result["workspace"]["isolated"], true);
  EXPECT_EQ(result["workspace"]["applied"], true);
}

TEST(ChatWorktree, AConcurrentEditOfTheSameLinesIsReportedAndNothingIsOverwritten) {
  ChatProject project;
  REQUIRE_PEERS(project);
  omk::test::write_text(project.root / "shared.txt", "base\n");
  git(project, {"add", "shared.txt"});
  git(project, {"commit", "-qm", "shared"});
  nlohmann::json steps = {{{"shell", "printf 'agent\\n' > shared.txt; echo new > other.txt"}},
                          {{"text", "done"}}};
  omk::test::ModelServer model(script(steps.dump()));
  project.claude_at(model);

  auto chat = project.start({"chat", "--provider", "claude", "--execution", "ask"});
  size_t at = chat->wait_for(kPrompt);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("run a script that rewrites shared.txt\n");
  at = chat->wait_for("[y/N]", at);  // claude cannot ask headless: omk asks before the run
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("y\n");
  at = chat->wait_for("Apply these changes to your project?", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  // Meanwhile the user changed the same line.
  omk::test::write_text(project.root / "shared.txt", "user\n");
  chat->type("y\n");
  at = chat->wait_for("[turn-1] not applied", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  EXPECT_NE(chat->output().find("shared.txt"), std::string::npos) << chat->output();
  chat->type("/exit\n");
  chat->wait_exit();

  // All or nothing: the user's edit stands and the agent's other file did not land either.
  EXPECT_EQ(omk::test::read_text(project.root / "shared.txt"), "user\n");
  EXPECT_FALSE(fs::exists(project.root / "other.txt"));
  // The agent's work is kept for inspection.
  EXPECT_TRUE(turn_worktrees_left(project));
}

TEST(ChatWorktree, DecliningToApplyKeepsTheProjectUnchanged) {
  ChatProject project;
  REQUIRE_PEERS(project);
  nlohmann::json steps = {{{"shell", "echo x > declined.txt"}}, {{"text", "done"}}};
  omk::test::ModelServer model(script(steps.dump()));
  project.claude_at(model);
  auto chat = project.start({"chat", "--provider", "claude", "--execution", "ask"});
  size_t at = chat->wait_for(kPrompt);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("run a script that writes declined.txt\n");
  at = chat->wait_for("[y/N]", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("y\n");
  at = chat->wait_for("Apply these changes to your project?", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("n\n");
  at = chat->wait_for("you chose not to apply them", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("/exit\n");
  chat->wait_exit();
  EXPECT_FALSE(fs::exists(project.root / "declined.txt"));
}

TEST(ChatWorktree, AMergeTurnActsOnTheRealBranchesInPlace) {
  ChatProject project;
  REQUIRE_PEERS(project);
  nlohmann::json steps = {{{"shell", "echo pushed > in-place.txt"}}, {{"text", "done"}}};
  omk::test::ModelServer model(script(steps.dump()));
  project.claude_at(model);
  auto chat = project.start({"chat", "--provider", "claude", "--execution", "auto"});
  size_t at = chat->wait_for(kPrompt);
  ASSERT_NE(at, std::string::npos) << chat->output();
  chat->type("push the branch to origin\n");
  at = chat->wait_for("[turn-1] succeeded", at);
  ASSERT_NE(at, std::string::npos) << chat->output();
  EXPECT_NE(chat->output().find("runs in place: a merge turn"), std::string::npos)
      << chat->output();
  chat->type("/exit\n");
  chat->wait_exit();
  EXPECT_EQ(omk::test::read_text(project.root / "in-place.txt"), "pushed\n");
  EXPECT_FALSE(turn_worktrees_left(project));
}

}  // namespace
}  // namespace omk::repl
