// The sandbox layer through its public surface: prepare a Sandbox, run real commands in it.
#include "sandbox/sandbox.h"

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

TEST(Sandbox, ReadOnlyProfileRefusesEveryWriteButReads) {
  OMK_REQUIRE_SANDBOX_LAYERS();
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
  OMK_REQUIRE_SANDBOX_LAYERS();
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
  OMK_REQUIRE_SANDBOX_LAYERS();
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
  OMK_REQUIRE_SANDBOX_LAYERS();
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
  OMK_REQUIRE_SANDBOX_LAYERS();
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
  OMK_REQUIRE_SANDBOX_LAYERS();
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

// What the MCP stdio client needs: a long-lived sandboxed child it talks to line by line.
TEST(Sandbox, InteractiveChildRunsInTheSandbox) {
  OMK_REQUIRE_SANDBOX_LAYERS();
  Fixture f;
  auto box = Sandbox::prepare(f.request(Profile::kWorkspaceWrite));
  process::SpawnOptions options;
  options.argv = {"/bin/sh", "-c",
                  "while read -r line; do echo \"got $line\"; done; ls /proc | grep -c '^[0-9]'"};
  options.env = {{"PATH", "/usr/bin:/bin"}};
  options.cwd = f.workspace;
  box->apply_to_environment(options.env);
  process::Child child = spawn_sandboxed(*box, options);
  std::string received;
  process::StreamHandler out;
  out.on_data = [&](std::string_view text) { received += text; };
  process::StreamPump pump(child, out, {});
  auto deadline = process::Clock::now() + std::chrono::seconds(20);
  pump.send("ping\n");
  while (!has(received, "got ping\n") && process::Clock::now() < deadline) pump.pump(deadline);
  EXPECT_EQ(received, "got ping\n");
  pump.close_stdin_when_drained();
  while (pump.output_open() && process::Clock::now() < deadline) pump.pump(deadline);
  pump.finish();
  EXPECT_EQ(child.wait().code(), 0);
  EXPECT_LE(std::stoi(received.substr(received.find('\n') + 1)), 5);  // in its own PID namespace
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
