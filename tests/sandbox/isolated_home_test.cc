// The child's private HOME and TMPDIR: fresh, private, holding only declared entries, removed.
#include "sandbox/isolated_home.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include "core/error.h"
#include "sandbox/kernel_support.h"
#include "sandbox/sandboxed_run.h"
#include "sandbox/seccomp_filter.h"
#include "sandbox_fixture.h"

namespace omk::sandbox {
namespace {
namespace fs = std::filesystem;
using namespace test_fixture;

TEST(IsolatedHome, PrivateHomeAndTempAreFreshPrivateAndRemoved) {
  Fixture f;
  fs::path home, tmp;
  {
    auto box = Sandbox::prepare(f.request(Profile::kWorkspaceWrite));
    home = box->home();
    tmp = box->temp_dir();
    EXPECT_EQ(mode_of(home), 0700u);
    EXPECT_EQ(mode_of(tmp), 0700u);
    EXPECT_TRUE(fs::is_empty(home));
    EnvMap env = {{"HOME", "/root"},
                  {"OMK_ORIGINAL_HOME", "/root"},
                  {"XDG_CONFIG_HOME", "/root/.config"},
                  {"PATH", "/bin"}};
    box->apply_to_environment(env);
    EXPECT_EQ(env["HOME"], home.string());
    EXPECT_EQ(env["TMPDIR"], tmp.string());
    EXPECT_EQ(env.count("OMK_ORIGINAL_HOME"), 0u);
    EXPECT_EQ(env.count("XDG_CONFIG_HOME"), 0u);
    EXPECT_EQ(env["PATH"], "/bin");
  }
  EXPECT_FALSE(fs::exists(home));
  EXPECT_FALSE(fs::exists(tmp));
}

TEST(IsolatedHome, DeclaredHomeEntriesAreReadOnlyLinksOrPrivateCopies) {
  OMK_REQUIRE_SANDBOX_LAYERS();
  Fixture f;
  test::write_text(f.home / ".codex" / "auth.json", "{\"token\":\"t\"}\n");
  test::write_text(f.home / ".kimi" / "credentials" / "kimi-code.json", "{}\n");
  auto request = f.request(Profile::kWorkspaceWrite);
  request.home_entries = {{".codex/auth.json", HomeEntry::Kind::kReadOnlyLink, true},
                          {".kimi/credentials", HomeEntry::Kind::kCopy, true},
                          {".gemini/oauth_creds.json", HomeEntry::Kind::kReadOnlyLink, false}};
  auto box = Sandbox::prepare(request);
  EXPECT_TRUE(fs::is_symlink(box->home() / ".codex" / "auth.json"));
  EXPECT_EQ(mode_of(box->home() / ".kimi" / "credentials" / "kimi-code.json"), 0600u);
  EXPECT_FALSE(fs::exists(box->home() / ".ssh"));
  auto result =
      run_script(*box,
                 attempts({{"read_link", "grep -q token \"$HOME/.codex/auth.json\""},
                           {"write_link", "echo x >> \"$HOME/.codex/auth.json\""},
                           {"read_copy", "cat \"$HOME/.kimi/credentials/kimi-code.json\""},
                           {"real_ssh", "cat " + (f.home / ".ssh/id_rsa").string()},
                           // Only the skeleton leading to the declared entry exists there.
                           {"real_dir", "ls -A " + f.home.string() + " | grep -q ssh"}}),
                 f.workspace);
  const std::string& out = result.out.text;
  EXPECT_TRUE(has(out, "read_link=ok")) << out;
  EXPECT_TRUE(has(out, "write_link=refused")) << out;
  EXPECT_TRUE(has(out, "read_copy=ok")) << out;
  EXPECT_TRUE(has(out, "real_ssh=refused")) << out;
  EXPECT_TRUE(has(out, "real_dir=refused")) << out;
  EXPECT_EQ(test::read_text(f.home / ".codex" / "auth.json"), "{\"token\":\"t\"}\n");
  ASSERT_EQ(box->enforcement().notes.size() >= 1, true);
}

TEST(IsolatedHome, HomeEntriesAreValidatedAndRequiredOnesMustExist) {
  Fixture f;
  for (const char* bad : {"../x", "/etc/passwd", "", "a/../../b"}) {
    auto request = f.request(Profile::kWorkspaceWrite);
    request.home_entries = {{bad}};
    try {
      Sandbox::prepare(request);
      ADD_FAILURE() << bad;
    } catch (const UserError& error) {
      EXPECT_EQ(error.code(), ExitCode::kUsage) << bad;
    }
  }
  auto request = f.request(Profile::kWorkspaceWrite);
  request.home_entries = {{".codex/auth.json", HomeEntry::Kind::kReadOnlyLink, true}};
  try {
    Sandbox::prepare(request);
    ADD_FAILURE() << "a required entry that does not exist must stop the run";
  } catch (const UserError& error) {
    EXPECT_TRUE(has(error.what(), ".codex/auth.json"));
  }
}

TEST(IsolatedHome, ShellProfilesAreBridgedOnlyWhenAsked) {
  OMK_REQUIRE_SANDBOX_LAYERS();
  Fixture f;
  test::write_text(f.home / ".profile", "FROM_REAL_PROFILE=\"$HOME\"\n");
  auto plain = Sandbox::prepare(f.request(Profile::kWorkspaceWrite));
  EXPECT_FALSE(fs::exists(plain->home() / ".profile"));
  auto request = f.request(Profile::kWorkspaceWrite);
  request.bridge_shell_profiles = true;
  auto bridged = Sandbox::prepare(request);
  ASSERT_TRUE(fs::exists(bridged->home() / ".profile"));
  EXPECT_TRUE(has(test::read_text(bridged->home() / ".profile"),
                  "# OMK isolated HOME shell profile bridge."));
  EXPECT_EQ(mode_of(bridged->home() / ".profile"), 0600u);
  auto result =
      run_script(*bridged, ". \"$HOME/.profile\"; echo \"$FROM_REAL_PROFILE|$HOME\"", f.workspace);
  EXPECT_EQ(result.out.text, f.home.string() + "|" + bridged->home().string() + "\n")
      << result.err.text;
}

TEST(IsolatedHome, DirectoriesOfAKilledOmkAreSweptAway) {
  Fixture f;
  fs::path base = f.tmp.path() / "scratch";
  // pid_max is at most 2^22: no process has this pid.
  fs::path abandoned = base / "omk-sandbox-99999999-abcdef";
  fs::path alive = base / ("omk-sandbox-" + std::to_string(::getppid()) + "-abcdef");
  fs::create_directories(abandoned / "home");
  fs::create_directories(alive / "home");
  fs::create_directories(base / "someone-else");
  auto request = f.request(Profile::kFullAccess);
  request.scratch_base = base;
  auto box = Sandbox::prepare(request);
  EXPECT_FALSE(fs::exists(abandoned));
  EXPECT_TRUE(fs::exists(alive));
  EXPECT_TRUE(fs::exists(base / "someone-else"));
  EXPECT_EQ(box->home().parent_path().parent_path(), fs::canonical(base));
}

}  // namespace
}  // namespace omk::sandbox
