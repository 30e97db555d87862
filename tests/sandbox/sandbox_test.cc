// The sandbox layer through its public surface: prepare a Sandbox, run real commands in it.
#include "sandbox/sandbox.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/error.h"
#include "sandbox/kernel_support.h"
#include "sandbox/sandboxed_run.h"
#include "sandbox/seccomp_filter.h"
#include "test_support.h"

namespace omk::sandbox {
namespace {
namespace fs = std::filesystem;

bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

// Forgets layers a test marked unavailable, whatever happens in the test.
struct KernelSupportReset {
  ~KernelSupportReset() { reset_kernel_support(); }
};

void require_layers() {
  auto support = kernel_support();
  if (support.landlock_abi == 0 || !support.seccomp || !support.namespaces) {
    GTEST_SKIP() << "this kernel lacks a sandbox layer (see omk sandbox probe)";
  }
}

struct Fixture {
  test::TempDir tmp;
  fs::path workspace = tmp.path() / "ws";
  fs::path home = tmp.path() / "home";
  Fixture() {
    fs::create_directories(workspace);
    test::write_text(workspace / "a.txt", "original\n");
    test::write_text(home / ".ssh" / "id_rsa", "KEY\n");
  }
  SandboxRequest request(Profile profile) const {
    SandboxRequest r;
    r.profile = profile;
    r.workspace = workspace;
    r.original_home = home;
    return r;
  }
};

process::RunResult run_script(Sandbox& sandbox, const std::string& script, const fs::path& cwd) {
  process::RunOptions options;
  options.spawn.argv = {"/bin/sh", "-c", script};
  options.spawn.env = {{"PATH", "/usr/bin:/bin"}};
  options.spawn.cwd = cwd;
  sandbox.apply_to_environment(options.spawn.env);
  options.timeout = std::chrono::seconds(60);
  return run_sandboxed(sandbox, options);
}

// Prints "<name>=ok" or "<name>=refused" for each shell command.
std::string attempts(const std::vector<std::pair<std::string, std::string>>& commands) {
  std::string script;
  for (const auto& [name, command] : commands) {
    script += "if " + command + " 2>/dev/null; then echo " + name + "=ok; else echo " + name +
              "=refused; fi\n";
  }
  return script;
}

TEST(Sandbox, ReadOnlyProfileRefusesEveryWriteButReads) {
  require_layers();
  Fixture f;
  auto box = Sandbox::prepare(f.request(Profile::kReadOnly));
  auto result = run_script(
      *box,
      attempts({{"append", "echo x >> a.txt"},
                {"create", "touch new.txt"},
                {"mkdir", "mkdir newdir"},
                {"remove", "rm -f a.txt"},
                {"etc", "touch /etc/omk-test"},
                {"usr", "touch /usr/omk-test"},
                {"read_workspace", "grep -q original a.txt"},
                {"read_system", "test -r /usr/include/stdio.h && cat /etc/passwd >/dev/null"},
                {"tmpdir", "echo t > \"$TMPDIR/t\""},
                {"tmp", "echo t > /tmp/t"},
                {"home", "echo h > \"$HOME/h\""}}),
      f.workspace);
  const std::string& out = result.out.text;
  for (const char* refused : {"append", "create", "mkdir", "remove", "etc", "usr"}) {
    EXPECT_TRUE(has(out, std::string(refused) + "=refused")) << refused << "\n" << out;
  }
  for (const char* ok : {"read_workspace", "read_system", "tmpdir", "tmp", "home"}) {
    EXPECT_TRUE(has(out, std::string(ok) + "=ok")) << ok << "\n" << out << result.err.text;
  }
  EXPECT_EQ(test::read_text(f.workspace / "a.txt"), "original\n");
  EXPECT_FALSE(fs::exists(f.workspace / "new.txt"));
}

TEST(Sandbox, WorkspaceWriteWritesTheWorkspaceAndItsRootsOnly) {
  require_layers();
  Fixture f;
  fs::path extra = f.tmp.path() / "extra";
  fs::path readable = f.tmp.path() / "tools";
  fs::create_directories(extra);
  test::write_text(readable / "tool.txt", "tool\n");
  auto request = f.request(Profile::kWorkspaceWrite);
  request.writable_roots = {extra};
  request.readable_roots = {readable};
  auto box = Sandbox::prepare(request);
  auto result =
      run_script(*box,
                 attempts({{"workspace", "echo w > w.txt"},
                           {"extra", "echo e > " + (extra / "e.txt").string()},
                           {"read_tools", "grep -q tool " + (readable / "tool.txt").string()},
                           {"write_tools", "echo x > " + (readable / "x.txt").string()},
                           {"real_home", "cat " + (f.home / ".ssh/id_rsa").string()}}),
                 f.workspace);
  const std::string& out = result.out.text;
  EXPECT_TRUE(has(out, "workspace=ok")) << out;
  EXPECT_TRUE(has(out, "extra=ok")) << out;
  EXPECT_TRUE(has(out, "read_tools=ok")) << out;
  EXPECT_TRUE(has(out, "write_tools=refused")) << out;
  EXPECT_TRUE(has(out, "real_home=refused")) << out;
}

TEST(Sandbox, LinkedWorktreeKeepsTheSharedHooksAndConfigReadOnly) {
  require_layers();
  Fixture f;
  fs::path main = f.tmp.path() / "main";
  fs::create_directories(main);
  test::git_init(main);
  test::CommandOptions git;
  git.cwd = main;
  git.argv = {"/usr/bin/git", "-c", "user.name=t",   "-c", "user.email=t@example.invalid",
              "commit",       "-q", "--allow-empty", "-m", "root"};
  ASSERT_EQ(test::run_command(git).exit_code, 0);
  fs::path lane = f.tmp.path() / "lane";
  git.argv = {"/usr/bin/git", "worktree", "add", "-q", lane.string()};
  ASSERT_EQ(test::run_command(git).exit_code, 0);
  std::string config_before = test::read_text(main / ".git" / "config");

  auto request = f.request(Profile::kWorkspaceWrite);
  request.workspace = lane;
  request.writable_roots = {main / ".git"};  // commits in a linked work tree write here
  auto box = Sandbox::prepare(request);
  auto result = run_script(
      *box,
      attempts(
          {{"hook", "echo evil > " + (main / ".git/hooks/pre-commit").string()},
           {"config", "git config core.hooksPath /tmp/evil"},
           {"gitfile", "echo 'gitdir: /tmp/evil' > .git"},
           {"commit",
            "echo x > x.txt && git add x.txt && git -c user.name=a -c user.email=a@example.invalid "
            "commit -q -m lane"}}),
      lane);
  const std::string& out = result.out.text;
  EXPECT_TRUE(has(out, "hook=refused")) << out;
  EXPECT_TRUE(has(out, "config=refused")) << out;
  EXPECT_TRUE(has(out, "gitfile=refused")) << out;
  EXPECT_TRUE(has(out, "commit=ok")) << out << result.err.text;
  EXPECT_FALSE(fs::exists(main / ".git" / "hooks" / "pre-commit"));
  EXPECT_EQ(test::read_text(main / ".git" / "config"), config_before);
  EXPECT_NE(box->enforcement().protected_paths.size(), 0u);
}

TEST(Sandbox, MissingAgentDirectoriesAreProtectedThenRemoved) {
  require_layers();
  Fixture f;
  {
    auto box = Sandbox::prepare(f.request(Profile::kWorkspaceWrite));
    EXPECT_TRUE(fs::is_directory(f.workspace / ".codex"));
    auto result = run_script(*box, attempts({{"plant", "mkdir -p .claude/commands"}}), f.workspace);
    EXPECT_TRUE(has(result.out.text, "plant=refused")) << result.out.text;
  }
  for (const char* dir : {".omk", ".kimi", ".codex", ".claude"}) {
    EXPECT_FALSE(fs::exists(f.workspace / dir)) << dir;
  }
}

TEST(Sandbox, PidNamespaceHidesOmksProcesses) {
  require_layers();
  Fixture f;
  auto box = Sandbox::prepare(f.request(Profile::kWorkspaceWrite));
  auto result = run_script(*box,
                           "test -e /proc/" + std::to_string(::getpid()) +
                               " && echo visible; ls /proc | grep -c '^[0-9]'",
                           f.workspace);
  EXPECT_FALSE(has(result.out.text, "visible"));
  EXPECT_LE(std::stoi(result.out.text), 5) << result.out.text;  // the supervisor, sh, ls, grep
}

TEST(Sandbox, NetworkIsOffUnlessAllowed) {
  require_layers();
  Fixture f;
  std::string script =
      "/usr/bin/python3 -c 'import socket; socket.socket(socket.AF_INET)' && echo inet=ok";
  auto off = Sandbox::prepare(f.request(Profile::kWorkspaceWrite));
  EXPECT_FALSE(has(run_script(*off, script, f.workspace).out.text, "inet=ok"));
  EXPECT_FALSE(off->enforcement().network_allowed);
  EXPECT_FALSE(off->enforcement().network_blocked_by.empty());
  auto request = f.request(Profile::kWorkspaceWrite);
  request.allow_network = true;
  auto on = Sandbox::prepare(request);
  EXPECT_TRUE(has(run_script(*on, script, f.workspace).out.text, "inet=ok"));
  EXPECT_TRUE(on->enforcement().network_allowed);
}

TEST(Sandbox, PrivateHomeAndTempAreFreshPrivateAndRemoved) {
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

TEST(Sandbox, DeclaredHomeEntriesAreReadOnlyLinksOrPrivateCopies) {
  require_layers();
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

TEST(Sandbox, HomeEntriesAreValidatedAndRequiredOnesMustExist) {
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

TEST(Sandbox, ShellProfilesAreBridgedOnlyWhenAsked) {
  require_layers();
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

TEST(Sandbox, RequireRefusesWhenALayerIsMissing) {
  KernelSupportReset reset;
  Fixture f;
  mark_unavailable(Unavailable::kNamespaces, "test: namespaces switched off");
  auto relaxed = Sandbox::prepare(f.request(Profile::kWorkspaceWrite));
  auto missing = relaxed->enforcement().missing();
  ASSERT_FALSE(missing.empty());
  EXPECT_TRUE(has(missing.front(), "namespaces"));
  auto request = f.request(Profile::kWorkspaceWrite);
  request.require = true;
  try {
    Sandbox::prepare(request);
    FAIL() << "require must refuse";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ExitCode::kPolicy);
    EXPECT_TRUE(has(error.what(), "namespaces"));
  }
}

TEST(Sandbox, SpawnTimeRefusalDropsTheLayerOrRefuses) {
  KernelSupportReset reset;
  Fixture f;
  auto box = Sandbox::prepare(f.request(Profile::kWorkspaceWrite));
  EXPECT_EQ(box->degrade("exec", "exec: No such file"), Sandbox::Degrade::kNotALayer);
  EXPECT_EQ(box->degrade("mount: make the mount tree private", "EPERM"), Sandbox::Degrade::kRetry);
  EXPECT_FALSE(box->enforcement().layer("protected_paths")->enforced);
  EXPECT_FALSE(box->enforcement().layer("filesystem_view")->enforced);
  reset_kernel_support();
  auto request = f.request(Profile::kWorkspaceWrite);
  request.require = true;
  auto strict = Sandbox::prepare(request);
  EXPECT_EQ(strict->degrade("namespaces: clone", "EPERM"), Sandbox::Degrade::kRefused);
}

TEST(Sandbox, WithoutNamespacesLandlockAndSeccompStillHold) {
  require_layers();
  KernelSupportReset reset;
  Fixture f;
  mark_unavailable(Unavailable::kNamespaces, "test: namespaces switched off");
  auto box = Sandbox::prepare(f.request(Profile::kWorkspaceWrite));
  EXPECT_EQ(box->child_setup()->clone_flags(), 0u);
  auto result = run_script(
      *box,
      attempts({{"workspace", "echo w > w.txt"},
                {"outside", "echo x > " + (f.tmp.path() / "outside.txt").string()},
                {"real_home", "cat " + (f.home / ".ssh/id_rsa").string()},
                {"shared_tmp", "echo x > /tmp/omk-sandbox-test-$$"},
                {"tmpdir", "echo x > \"$TMPDIR/x\""},
                {"inet", "/usr/bin/python3 -c 'import socket; socket.socket(socket.AF_INET)'"}}),
      f.workspace);
  const std::string& out = result.out.text;
  EXPECT_TRUE(has(out, "workspace=ok")) << out << result.err.text;
  EXPECT_TRUE(has(out, "outside=refused")) << out;
  EXPECT_TRUE(has(out, "real_home=refused")) << out;
  EXPECT_TRUE(has(out, "shared_tmp=refused")) << out;
  EXPECT_TRUE(has(out, "tmpdir=ok")) << out;
  EXPECT_TRUE(has(out, "inet=refused")) << out;
}

TEST(Sandbox, WithoutLandlockTheFilesystemViewStillHolds) {
  require_layers();
  KernelSupportReset reset;
  Fixture f;
  mark_unavailable(Unavailable::kLandlock, "test: Landlock switched off");
  auto box = Sandbox::prepare(f.request(Profile::kWorkspaceWrite));
  EXPECT_FALSE(box->enforcement().layer("landlock")->enforced);
  auto result =
      run_script(*box,
                 attempts({{"workspace", "echo w > w.txt"},
                           {"outside", "echo x > " + (f.tmp.path() / "outside.txt").string()},
                           {"real_home", "cat " + (f.home / ".ssh/id_rsa").string()},
                           {"usr", "touch /usr/omk-test"},
                           {"hooks", "mkdir -p .git/hooks 2>/dev/null; touch .omk/x"}}),
                 f.workspace);
  const std::string& out = result.out.text;
  EXPECT_TRUE(has(out, "workspace=ok")) << out << result.err.text;
  // Under /tmp the path exists only in the child's private /tmp: the host never sees the file.
  EXPECT_FALSE(fs::exists(f.tmp.path() / "outside.txt"));
  EXPECT_TRUE(has(out, "real_home=refused")) << out;
  EXPECT_TRUE(has(out, "usr=refused")) << out;
  EXPECT_TRUE(has(out, "hooks=refused")) << out;
}

TEST(Sandbox, FullAccessAndDelegationApplyNoOsSandbox) {
  Fixture f;
  auto full = Sandbox::prepare(f.request(Profile::kFullAccess));
  EXPECT_EQ(full->child_setup(), nullptr);
  EXPECT_FALSE(full->enforcement().complete());
  EXPECT_TRUE(has(full->enforcement().summary(), "no sandbox"));
  auto request = f.request(Profile::kWorkspaceWrite);
  request.adapter_sandbox = "codex";
  auto delegated = Sandbox::prepare(request);
  EXPECT_EQ(delegated->child_setup(), nullptr);
  EXPECT_EQ(delegated->enforcement().delegated_to, "codex");
  EXPECT_TRUE(has(delegated->enforcement().summary(), "codex"));
  for (auto r : {f.request(Profile::kFullAccess), request}) {
    r.require = true;
    try {
      Sandbox::prepare(r);
      ADD_FAILURE() << "require must refuse a run without omk's sandbox";
    } catch (const UserError& error) {
      EXPECT_EQ(error.code(), ExitCode::kPolicy);
    }
  }
}

TEST(Sandbox, BadRequestsAreUsageErrors) {
  Fixture f;
  auto expect_usage = [](SandboxRequest request, const char* what) {
    try {
      Sandbox::prepare(request);
      ADD_FAILURE() << what;
    } catch (const UserError& error) {
      EXPECT_EQ(error.code(), ExitCode::kUsage) << what;
    }
  };
  auto missing = f.request(Profile::kWorkspaceWrite);
  missing.workspace = f.tmp.path() / "nope";
  expect_usage(missing, "a workspace that does not exist");
  auto root = f.request(Profile::kWorkspaceWrite);
  root.workspace = "/";
  expect_usage(root, "/ as a writable workspace");
  auto tmp = f.request(Profile::kReadOnly);
  tmp.workspace = "/tmp";
  expect_usage(tmp, "/tmp as the workspace");
  auto read_only_writable = f.request(Profile::kReadOnly);
  read_only_writable.writable_roots = {f.tmp.path()};
  expect_usage(read_only_writable, "--writable with read-only");
}

TEST(Sandbox, SeccompRefusesWhatTheIssueNames) {
  const auto& denied = seccomp::always_denied_syscalls();
  for (const char* name : {"ptrace",
                           "process_vm_readv",
                           "process_vm_writev",
                           "io_uring_setup",
                           "io_uring_enter",
                           "io_uring_register",
                           "bpf",
                           "perf_event_open",
                           "kexec_load",
                           "kexec_file_load",
                           "mount",
                           "umount2",
                           "pivot_root",
                           "swapon",
                           "swapoff",
                           "reboot",
                           "init_module",
                           "finit_module",
                           "delete_module",
                           "keyctl",
                           "add_key",
                           "request_key",
                           "userfaultfd"}) {
    EXPECT_NE(std::find(denied.begin(), denied.end(), name), denied.end()) << name;
  }
}

}  // namespace
}  // namespace omk::sandbox
