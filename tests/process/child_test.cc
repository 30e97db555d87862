#include "process/child.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "process/stream_pump.h"

namespace omk::process {
namespace {

SpawnOptions cat_options() {
  SpawnOptions options;
  options.argv = {"/bin/cat"};
  options.env = {{"PATH", "/usr/bin:/bin"}};
  return options;
}

// An interactive, long-lived child (what the MCP stdio client needs): stdin stays open,
// requests go in one at a time, responses are read as they come.
TEST(Child, InteractiveRequestsAndResponses) {
  Child child = Child::spawn(cat_options());
  std::string received;
  StreamHandler out;
  out.on_data = [&](std::string_view text) { received += text; };
  out.redact = false;  // a protocol channel: bytes go to a parser, never to a sink
  StreamPump pump(child, out, {});
  auto deadline = Clock::now() + std::chrono::seconds(10);
  for (const char* request : {"{\"id\":1}\n", "{\"id\":2}\n"}) {
    ASSERT_TRUE(pump.send(request));
    std::string expected = received + request;
    while (received != expected && Clock::now() < deadline) pump.pump(deadline);
    EXPECT_EQ(received, expected);
  }
  pump.close_stdin_when_drained();
  while (pump.output_open() && Clock::now() < deadline) pump.pump(deadline);
  pump.finish();
  EXPECT_EQ(child.wait().code(), 0);
}

TEST(Child, DestructorKillsAndReapsARunningChild) {
  pid_t pid;
  {
    Child child = Child::spawn(cat_options());
    pid = child.pid();
    EXPECT_FALSE(child.has_exited());
  }
  EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);  // already reaped: no zombie left
  EXPECT_EQ(errno, ECHILD);
}

TEST(Child, SignalGroupReachesTheChild) {
  Child child = Child::spawn(cat_options());
  child.signal_group(SIGTERM);
  EXPECT_EQ(child.wait().signal(), SIGTERM);
}

// A setup step that fails in the child: nothing runs and the step is named.
class FailingSetup final : public ChildSetup {
 public:
  int prepare_in_child(const char** step) const noexcept override {
    *step = "test: refuse on purpose";
    return EPERM;
  }
};

TEST(Child, SetupFailureIsReportedWithItsStep) {
  FailingSetup setup;
  auto options = cat_options();
  options.setup = &setup;
  try {
    Child::spawn(options);
    FAIL() << "spawn should have failed";
  } catch (const SpawnError& error) {
    EXPECT_EQ(error.step(), "test: refuse on purpose");
    EXPECT_EQ(error.error(), EPERM);
  }
}

// A supervisor between omk and the program still reports the program's own status.
class SupervisedSetup final : public ChildSetup {
 public:
  bool wants_supervisor() const noexcept override { return true; }
};

TEST(Child, SupervisorReportsTheProgramsOwnStatus) {
  SupervisedSetup setup;
  SpawnOptions options;
  options.env = {{"PATH", "/usr/bin:/bin"}};
  options.setup = &setup;
  options.argv = {"/bin/sh", "-c", "exit 42"};
  EXPECT_EQ(Child::spawn(options).wait().code(), 42);
  options.argv = {"/bin/sh", "-c", "kill -SEGV $$"};
  Child killed = Child::spawn(options);
  EXPECT_EQ(killed.wait().signal(), SIGSEGV);
}

TEST(Child, SupervisorHoldsNoPipeOpen) {
  // The program reads stdin to EOF: a supervisor that kept a copy of the pipe would hang it.
  SupervisedSetup setup;
  auto options = cat_options();
  options.setup = &setup;
  Child child = Child::spawn(options);
  std::string received;
  StreamHandler out;
  out.on_data = [&](std::string_view text) { received += text; };
  StreamPump pump(child, out, {});
  pump.send("to the end\n");
  pump.close_stdin_when_drained();
  auto deadline = Clock::now() + std::chrono::seconds(20);
  while (pump.output_open() && Clock::now() < deadline) pump.pump(deadline);
  EXPECT_EQ(received, "to the end\n");
  EXPECT_EQ(child.wait().code(), 0);
}

TEST(Child, EmptyArgvIsRefused) {
  SpawnOptions options;
  EXPECT_THROW(Child::spawn(options), SpawnError);
}

}  // namespace
}  // namespace omk::process
