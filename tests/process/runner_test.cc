#include "process/runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "core/output.h"
#include "test_support.h"

namespace omk::process {
namespace {

EnvMap basic_env() {
  return {{"PATH", "/usr/local/bin:/usr/bin:/bin"}};
}

RunOptions options_for(std::vector<std::string> argv) {
  RunOptions options;
  options.spawn.argv = std::move(argv);
  options.spawn.env = basic_env();
  return options;
}

bool process_gone(pid_t pid) {
  if (::kill(pid, 0) < 0) return true;
  // Killed but not yet reaped by whoever inherited it. Read with POSIX calls: the process may
  // vanish mid-read.
  std::string path = "/proc/" + std::to_string(pid) + "/stat";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return true;
  char buffer[512];
  ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
  ::close(fd);
  if (n <= 0) return true;
  std::string text(buffer, static_cast<size_t>(n));
  auto close = text.rfind(')');
  return close != std::string::npos && text.size() > close + 2 && text[close + 2] == 'Z';
}

bool eventually_gone(pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    if (process_gone(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(Runner, ArgvIsPassedAsIsWithoutAShell) {
  auto result = run(options_for({"/bin/echo", "a;b", "$HOME", "*", "`id`"}));
  ASSERT_FALSE(result.start_failure);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out.text, "a;b $HOME * `id`\n");
}

TEST(Runner, ChildGetsExactlyTheGivenEnvironment) {
  auto options = options_for({"/usr/bin/env"});
  options.spawn.env["OMK_TEST_VALUE"] = "one two";
  auto result = run(options);
  EXPECT_EQ(result.out.text, "OMK_TEST_VALUE=one two\nPATH=/usr/local/bin:/usr/bin:/bin\n");
}

TEST(Runner, RunsInTheGivenWorkingDirectory) {
  test::TempDir tmp;
  auto options = options_for({"/bin/pwd"});
  options.spawn.cwd = tmp.path();
  EXPECT_EQ(run(options).out.text, tmp.path().string() + "\n");
}

TEST(Runner, ProgramIsFoundThroughTheChildsPath) {
  auto options = options_for({"echo", "found"});
  options.spawn.env["PATH"] = "/nonexistent:/usr/bin:/bin";
  auto result = run(options);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out.text, "found\n");
}

TEST(Runner, MissingProgramIsAStartFailureWith127) {
  auto result = run(options_for({"omk-no-such-program-anywhere"}));
  ASSERT_TRUE(result.start_failure);
  EXPECT_EQ(result.start_failure->step, "exec");
  EXPECT_EQ(result.start_failure->error, ENOENT);
  EXPECT_EQ(result.exit_code, 127);
  EXPECT_FALSE(result.status);
}

TEST(Runner, NonExecutableProgramIs126) {
  test::TempDir tmp;
  test::write_text(tmp.path() / "script", "#!/bin/sh\necho hi\n");
  auto result = run(options_for({(tmp.path() / "script").string()}));
  ASSERT_TRUE(result.start_failure);
  EXPECT_EQ(result.exit_code, 126);
}

TEST(Runner, FiveMegabytePromptTravelsWholeOnStdin) {
  std::string prompt;
  prompt.reserve(5 << 20);
  for (size_t i = 0; prompt.size() < (5u << 20); ++i) prompt += "line " + std::to_string(i) + "\n";
  auto options = options_for({"/bin/cat"});
  options.stdin_source = StdinSource::text(prompt);
  options.out.capture_limit = 6 << 20;
  auto result = run(options);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.stdin_written, prompt.size());
  EXPECT_EQ(result.out.text.size(), prompt.size());
  EXPECT_TRUE(result.out.text == prompt);
}

TEST(Runner, ChildThatStopsReadingDoesNotHurtOmk) {
  auto options = options_for({"/usr/bin/head", "-c", "10"});
  options.stdin_source = StdinSource::text(std::string(5 << 20, 'x'));
  auto result = run(options);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out.text, std::string(10, 'x'));
}

TEST(Runner, StdinCanBeForwardedFromADescriptor) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  ASSERT_EQ(::write(fds[1], "forwarded\n", 10), 10);
  ::close(fds[1]);
  auto options = options_for({"/bin/cat"});
  options.stdin_source = StdinSource::forward(fds[0]);
  auto result = run(options);
  ::close(fds[0]);
  EXPECT_EQ(result.out.text, "forwarded\n");
}

TEST(Runner, OutputBeyondTheLimitIsCountedNotKept) {
  auto options =
      options_for({"/bin/sh", "-c", "head -c 10000 /dev/zero | tr '\\0' a; echo err >&2"});
  options.out.capture_limit = 100;
  size_t streamed = 0;
  options.out.on_data = [&](std::string_view text) { streamed += text.size(); };
  auto result = run(options);
  EXPECT_EQ(result.out.text, std::string(100, 'a'));
  EXPECT_EQ(result.out.dropped_bytes, 9900u);
  EXPECT_EQ(result.out.read_bytes, 10000u);
  EXPECT_EQ(streamed, 10000u);  // the callback still sees everything
  EXPECT_EQ(result.err.text, "err\n");
}

// Replaces "secret" by "******", also across chunk boundaries (holds back a short tail).
class TestRedactor final : public StreamFilter {
 public:
  std::string feed(std::string_view chunk) override {
    held_ += chunk;
    replace();
    size_t keep = std::min<size_t>(held_.size(), 5);
    std::string out = held_.substr(0, held_.size() - keep);
    held_.erase(0, held_.size() - keep);
    return out;
  }
  std::string finish() override {
    replace();
    return std::exchange(held_, {});
  }

 private:
  void replace() {
    for (size_t at; (at = held_.find("secret")) != std::string::npos;)
      held_.replace(at, 6, "******");
  }
  std::string held_;
};

TEST(Runner, EveryStreamGoesThroughTheInstalledFilter) {
  int made = 0;
  set_stream_filter_factory([&made] {
    ++made;
    return std::make_unique<TestRedactor>();
  });
  auto options = options_for(
      {"/bin/sh", "-c", "printf sec; sleep 0.2; printf 'ret out\\n'; printf 'a secret\\n' >&2"});
  std::string streamed;
  options.out.on_data = [&](std::string_view text) { streamed += text; };
  auto result = run(options);
  set_stream_filter_factory(nullptr);
  EXPECT_EQ(made, 2);  // a fresh filter per stream
  EXPECT_EQ(result.out.text, "****** out\n");
  EXPECT_EQ(streamed, "****** out\n");
  EXPECT_EQ(result.err.text, "a ******\n");
}

TEST(Runner, ExitCodeAndSignalAreReported) {
  auto exited = run(options_for({"/bin/sh", "-c", "exit 7"}));
  EXPECT_EQ(exited.exit_code, 7);
  EXPECT_EQ(exited.status->code(), 7);
  auto killed = run(options_for({"/bin/sh", "-c", "kill -KILL $$"}));
  EXPECT_EQ(killed.status->signal(), SIGKILL);
  EXPECT_EQ(killed.exit_code, 128 + SIGKILL);
  EXPECT_EQ(killed.status->describe(), "killed by SIGKILL");
}

TEST(Runner, ResourceUsageAndWallTimeAreReported) {
  auto result =
      run(options_for({"/bin/sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done"}));
  ASSERT_TRUE(result.status);
  EXPECT_GT(result.status->max_rss_kb(), 0);
  EXPECT_GE(result.status->user_ms() + result.status->system_ms(), 0.0);
  EXPECT_GE(result.wall_ms, 0);
}

TEST(Runner, TimeoutStopsTheWholeGroupWith124) {
  test::TempDir tmp;
  auto pid_file = tmp.path() / "bg.pid";
  auto options = options_for(
      {"/bin/sh", "-c", "sleep 60 & echo $! > \"$1\"; sleep 60", "sh", pid_file.string()});
  options.timeout = std::chrono::milliseconds(300);
  auto result = run(options);
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.exit_code, 124);
  EXPECT_EQ(result.status->signal(), SIGTERM);
  pid_t background = std::stoi(test::read_text(pid_file));
  EXPECT_TRUE(eventually_gone(background));
}

TEST(Runner, ChildIgnoringSigtermIsKilledAfterTheGrace) {
  auto options = options_for({"/bin/sh", "-c", "trap '' TERM; exec sleep 60"});
  options.timeout = std::chrono::milliseconds(200);
  options.kill_grace = std::chrono::milliseconds(200);
  auto result = run(options);
  EXPECT_EQ(result.exit_code, 124);
  EXPECT_EQ(result.status->signal(), SIGKILL);
}

TEST(Runner, CancellationStopsTheChildWith130) {
  CancelToken token;
  auto options = options_for({"/bin/sleep", "60"});
  options.cancel = &token;
  std::thread canceller([&token] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    token.cancel();
  });
  auto result = run(options);
  canceller.join();
  EXPECT_TRUE(result.cancelled);
  EXPECT_EQ(result.exit_code, 130);
}

TEST(Runner, AlreadyCancelledTokenStartsNothing) {
  CancelToken token;
  token.cancel();
  auto options = options_for({"/bin/sh", "-c", "echo ran"});
  options.cancel = &token;
  auto result = run(options);
  EXPECT_EQ(result.exit_code, 130);
  EXPECT_TRUE(result.out.text.empty());
}

TEST(Runner, BackgroundProcessesDoNotOutliveTheChild) {
  auto started = std::chrono::steady_clock::now();
  auto result = run(options_for({"/bin/sh", "-c", "sleep 60 & echo $!"}));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(eventually_gone(std::stoi(result.out.text)));
}

TEST(Runner, LeavesNoZombies) {
  for (int i = 0; i < 3; ++i) run(options_for({"/bin/sh", "-c", "true & true & exit 3"}));
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(Runner, LeaksNoDescriptors) {
  // Opened without close-on-exec, as careless code elsewhere in omk might.
  int stray = ::open("/dev/null", O_RDONLY);
  int stray_pipe[2];
  ASSERT_EQ(::pipe(stray_pipe), 0);
  auto result = run(options_for({"/bin/ls", "/proc/self/fd"}));
  ::close(stray);
  ::close(stray_pipe[0]);
  ::close(stray_pipe[1]);
  // 0-2 and the directory ls is reading.
  EXPECT_EQ(result.out.text, "0\n1\n2\n3\n");
}

TEST(Runner, ChildLeadsItsOwnSessionAndProcessGroup) {
  // Fields: pid (comm) state ppid pgrp session ...
  auto result = run(options_for({"/bin/sh", "-c",
                                 "read -r pid comm state ppid pgrp sid rest < /proc/self/stat; "
                                 "echo $pid $pgrp $sid"}));
  std::istringstream fields(result.out.text);
  long pid = 0, pgrp = 0, sid = 0;
  fields >> pid >> pgrp >> sid;
  EXPECT_GT(pid, 0);
  EXPECT_EQ(pgrp, pid);
  EXPECT_EQ(sid, pid);  // a new session: no controlling terminal to write around the redactor
}

}  // namespace
}  // namespace omk::process
