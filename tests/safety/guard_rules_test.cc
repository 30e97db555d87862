#include <gtest/gtest.h>

#include <cstdlib>

#include "guard_support.h"
#include "safety/guard_setup.h"

namespace omk::guard {
namespace {

using test::has_rule;
using test::policy;
using test::sample_context;

Decision decide(const std::string& command, GuardContext context = sample_context(),
                Policy rules = {}) {
  return Guard(std::move(context), std::move(rules)).check_command(command).decision;
}

TEST(GuardRules, TheOriginalsMissesAndFalsePositivesAreFixed) {
  EXPECT_EQ(decide("rm -rf /tmp/build"), Decision::kAllow);
  EXPECT_EQ(decide("rm --recursive --force /"), Decision::kDeny);
  EXPECT_EQ(decide("eval \"git push origin main\""), Decision::kDeny);
  EXPECT_EQ(decide("cat x >/dev/sda"), Decision::kDeny);
  EXPECT_EQ(decide("echo mkfs"), Decision::kAllow);
  EXPECT_EQ(decide("xargs rm -rf < list"), Decision::kAsk);
  Verdict unparsable = Guard(sample_context()).check_command("echo \"unbalanced git push");
  EXPECT_EQ(unparsable.decision, Decision::kDeny);
  ASSERT_FALSE(unparsable.reasons.empty());
  EXPECT_EQ(unparsable.reasons[0].rule, "parse-error");
  EXPECT_NE(unparsable.reasons[0].message.find("unterminated double quote"), std::string::npos);
}

TEST(GuardRules, ReasonsNameTheRuleAndTheFragment) {
  Verdict verdict = Guard(sample_context()).check_command("ls && sudo rm -rf ~ ; echo done");
  EXPECT_EQ(verdict.decision, Decision::kDeny);
  ASSERT_GE(verdict.reasons.size(), 2u);
  EXPECT_EQ(verdict.reasons[0].rule, "rm-home");
  EXPECT_EQ(verdict.reasons[0].fragment, "rm -rf /home/dev");
  EXPECT_NE(verdict.reasons[0].message.find("run through sudo"), std::string::npos);
  EXPECT_TRUE(has_rule(verdict, "sudo"));
}

TEST(GuardRules, WhereACommandRunsMatters) {
  GuardContext inside = sample_context();
  inside.cwd = "/work/project/sub";
  EXPECT_EQ(decide("rm -rf *", inside), Decision::kAsk);
  EXPECT_EQ(decide("rm -rf *"), Decision::kDeny);
  EXPECT_EQ(decide("cd sub && rm -rf *"), Decision::kAsk);
  EXPECT_EQ(decide("cd sub/.. && rm -rf *"), Decision::kDeny);
  EXPECT_EQ(decide("cd \"$SOMEWHERE\" && rm -rf *"), Decision::kAsk);
  EXPECT_EQ(decide("(cd /tmp && rm -rf *); ls"), Decision::kAllow);
  // A workspace that lives under /tmp is still the workspace, not scratch space.
  GuardContext in_tmp = sample_context();
  in_tmp.workspace = "/tmp/project";
  in_tmp.cwd = "/tmp/project/sub";
  EXPECT_EQ(decide("rm -rf *", in_tmp), Decision::kAsk);
  EXPECT_EQ(decide("rm -rf ..", in_tmp), Decision::kDeny);
  EXPECT_EQ(decide("rm -rf /tmp/other", in_tmp), Decision::kAllow);
}

TEST(GuardRules, PushingDependsOnTheBranch) {
  GuardContext on_main = sample_context();
  on_main.current_branch = "main";
  EXPECT_EQ(decide("git push", on_main), Decision::kDeny);
  EXPECT_EQ(decide("git push origin HEAD", on_main), Decision::kDeny);
  EXPECT_EQ(decide("git push"), Decision::kAllow);
  GuardContext custom = sample_context();
  custom.protected_branches = {"release"};
  EXPECT_EQ(decide("git push origin main", custom), Decision::kAllow);
  EXPECT_EQ(decide("git push origin HEAD:release", custom), Decision::kDeny);
}

TEST(GuardRules, EnvironmentVariablesCannotLoosenTheGuard) {
  ::setenv("OMK_ALLOW_RELEASE", "1", 1);
  ::setenv("OMK_GUARD", "off", 1);
  EXPECT_EQ(decide("git push origin main"), Decision::kDeny);
  EXPECT_EQ(decide("OMK_ALLOW_RELEASE=1 git push --force"), Decision::kDeny);
  ::unsetenv("OMK_ALLOW_RELEASE");
  ::unsetenv("OMK_GUARD");
}

TEST(GuardRules, InterpreterOneLiners) {
  EXPECT_EQ(decide("python3 -c \"import os; os.system('rm -rf /')\""), Decision::kDeny);
  EXPECT_EQ(decide("python3 -c \"import shutil; shutil.rmtree('build')\""), Decision::kAsk);
  EXPECT_EQ(decide("node -e \"require('child_process').execSync('git push -f')\""),
            Decision::kDeny);
  EXPECT_EQ(decide("perl -e 'unlink \"/home/dev\"'"), Decision::kDeny);
  EXPECT_EQ(decide("python3 -c \"print(sum(range(10)))\""), Decision::kAllow);
  EXPECT_EQ(decide("ruby -e 'puts 1'"), Decision::kAllow);
}

TEST(GuardRules, HugeOrEndlessInputIsRefusedNotFollowedForever) {
  std::string many;
  for (int i = 0; i < 6000; ++i) many += "echo a; ";
  Verdict verdict = Guard(sample_context()).check_command(many);
  EXPECT_EQ(verdict.decision, Decision::kDeny);
  EXPECT_TRUE(has_rule(verdict, "too-complex"));
  EXPECT_EQ(decide("f() { f; }; f"), Decision::kAllow);  // recursion without a bomb
  std::string nested = "rm -rf /";
  for (int i = 0; i < 12; ++i) nested = "eval " + nested;
  Verdict deep = Guard(sample_context()).check_command(nested);
  EXPECT_EQ(deep.decision, Decision::kDeny);
}

TEST(GuardPolicy, DenyAskAllowInThatOrder) {
  EXPECT_EQ(decide("npm publish", sample_context(), policy({"Bash(npm publish:*)"}, {}, {})),
            Decision::kDeny);
  EXPECT_EQ(
      decide("terraform apply", sample_context(), policy({}, {"Bash(terraform apply:*)"}, {})),
      Decision::kAsk);
  // deny wins over allow; ask wins over allow.
  EXPECT_EQ(
      decide("make deploy", sample_context(), policy({"Bash(make deploy)"}, {}, {"Bash(make:*)"})),
      Decision::kDeny);
  EXPECT_EQ(
      decide("make deploy", sample_context(), policy({}, {"Bash(make deploy)"}, {"Bash(make:*)"})),
      Decision::kAsk);
}

TEST(GuardPolicy, OnlyAnAllowRuleLiftsABuiltInDeny) {
  Policy rules = policy({}, {}, {"Bash(git push origin main)"});
  EXPECT_EQ(decide("git push origin main", sample_context(), rules), Decision::kAllow);
  // ... for the commands it matches, not for the rest of the line.
  EXPECT_EQ(decide("git push origin main && rm -rf /", sample_context(), rules), Decision::kDeny);
  // An ask rule cannot lower a built-in deny.
  EXPECT_EQ(decide("rm -rf /", sample_context(), policy({}, {"Bash(rm:*)"}, {})), Decision::kDeny);
  // Nothing lifts a parse error.
  EXPECT_EQ(decide("echo 'open", sample_context(), policy({}, {}, {"Bash"})), Decision::kDeny);
}

TEST(GuardPolicy, FileRulesApplyToShellAccessToo) {
  EXPECT_EQ(
      decide("cat docs/private.md", sample_context(), policy({"Read(./docs/private.md)"}, {}, {})),
      Decision::kDeny);
  EXPECT_EQ(decide("echo x > src/generated.ts", sample_context(), policy({"Edit(src/**)"}, {}, {})),
            Decision::kDeny);
  EXPECT_EQ(decide("cat .env", sample_context(), policy({}, {}, {"Read(./.env)"})),
            Decision::kAllow);
  EXPECT_EQ(decide("cat .env ~/.ssh/id_rsa", sample_context(), policy({}, {}, {"Read(./.env)"})),
            Decision::kDeny);
}

TEST(GuardPolicy, ExplicitAllowIsReportedOnlyWhenEveryCommandMatched) {
  Guard guard(sample_context(), policy({}, {}, {"Bash(npm test:*)", "Bash(npm run lint)"}));
  EXPECT_TRUE(guard.check_command("npm test && npm run lint").explicitly_allowed);
  Verdict partly = guard.check_command("npm test && ls");
  EXPECT_EQ(partly.decision, Decision::kAllow);
  EXPECT_FALSE(partly.explicitly_allowed);
}

TEST(GuardFiles, WritesToProtectedPathsAndSecretsAreDenied) {
  Guard guard(sample_context());
  EXPECT_EQ(guard.check_file(FileAction::kWrite, ".omk/config.toml").decision, Decision::kDeny);
  EXPECT_EQ(guard.check_file(FileAction::kWrite, "/work/project/.claude/settings.json").decision,
            Decision::kDeny);
  EXPECT_EQ(guard.check_file(FileAction::kWrite, ".git/hooks/pre-commit").decision,
            Decision::kDeny);
  EXPECT_EQ(guard.check_file(FileAction::kWrite, "/home/dev/.bashrc").decision, Decision::kDeny);
  EXPECT_EQ(guard.check_file(FileAction::kWrite, "config/.env.local").decision, Decision::kDeny);
  EXPECT_EQ(guard.check_file(FileAction::kWrite, "src/app.ts", "export {}").decision,
            Decision::kAllow);
  EXPECT_EQ(guard.check_file(FileAction::kWrite, ".env.example").decision, Decision::kAllow);
  EXPECT_EQ(guard.check_file(FileAction::kRead, "/home/dev/.ssh/id_rsa").decision, Decision::kDeny);
  EXPECT_EQ(guard.check_file(FileAction::kRead, "README.md").decision, Decision::kAllow);
  EXPECT_EQ(guard.check_file(FileAction::kWrite, "").decision, Decision::kDeny);
}

TEST(GuardFiles, ContentWithASecretIsDeniedByTheBuiltInRules) {
  Guard guard(sample_context());
  install_builtin_content_scanner();
  // A made-up token of GitHub's shape (36 characters after the prefix), not a credential.
  std::string token = "ghp_" + std::string("Zq8vN2kLw4Xr7Tb1Hc6Jm3Pd9Fs5Gy0AeUoK");
  Verdict verdict =
      guard.check_file(FileAction::kWrite, "src/config.ts", "const token = \"" + token + "\";\n");
  EXPECT_EQ(verdict.decision, Decision::kDeny);
  EXPECT_TRUE(has_rule(verdict, "secret-content"));
  EXPECT_EQ(guard.check_file(FileAction::kWrite, "src/config.ts", "const token = process.env.T;")
                .decision,
            Decision::kAllow);
}

TEST(GuardFiles, ContentGoesThroughAnInstalledScanner) {
  Guard guard(sample_context());
  set_content_secret_scanner(nullptr);
  EXPECT_FALSE(content_secret_scanner_installed());
  set_content_secret_scanner([](std::string_view content) -> std::optional<std::string> {
    if (content.find("AKIA") != std::string_view::npos) return std::string("aws-access-key-id");
    return std::nullopt;
  });
  Verdict verdict = guard.check_file(FileAction::kWrite, "src/config.ts", "key = AKIA1234");
  EXPECT_EQ(verdict.decision, Decision::kDeny);
  EXPECT_TRUE(has_rule(verdict, "secret-content"));
  EXPECT_EQ(guard.check_file(FileAction::kWrite, "src/config.ts", "key = none").decision,
            Decision::kAllow);
  set_content_secret_scanner(nullptr);
}

TEST(GuardPatches, APatchTouchingAProtectedPathIsDenied) {
  Guard guard(sample_context());
  EXPECT_EQ(guard
                .check_patch("*** Begin Patch\n*** Update File: src/a.ts\n@@\n-a\n+b\n"
                             "*** Add File: docs/new.md\n+hello\n*** End Patch\n")
                .decision,
            Decision::kAllow);
  EXPECT_EQ(guard
                .check_patch("*** Begin Patch\n*** Update File: .codex/hooks.json\n@@\n+{}\n"
                             "*** End Patch")
                .decision,
            Decision::kDeny);
  EXPECT_EQ(guard
                .check_patch("*** Begin Patch\n*** Update File: src/a.ts\n*** Move to: "
                             ".omk/config.toml\n*** End Patch")
                .decision,
            Decision::kDeny);
  EXPECT_EQ(
      guard.check_patch("*** Begin Patch\n  *** Delete File: .git/hooks/pre-push\n*** End Patch")
          .decision,
      Decision::kDeny);
  Verdict malformed = guard.check_patch("--- a/x\n+++ b/x\n");
  EXPECT_EQ(malformed.decision, Decision::kDeny);
  EXPECT_TRUE(has_rule(malformed, "patch-parse"));
  // apply_patch run from the shell, as Codex does.
  EXPECT_EQ(guard
                .check_command("apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: "
                               ".kimi/hooks.toml\n+x\n*** End Patch\nEOF")
                .decision,
            Decision::kDeny);
}

}  // namespace
}  // namespace omk::guard
