#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/environment.h"
#include "process/child_setup.h"
#include "process/exit_status.h"

namespace omk::process {

// What a child's standard stream is connected to. Never one of omk's own descriptors unless
// the caller asks (kInherit, for handing a terminal to an interactive program): an inherited
// socket would carry network access past any sandbox.
enum class Stdio { kPipe, kNull, kInherit };

struct SpawnOptions {
  // argv[0] without a '/' is looked up in the child environment's PATH, like execvp, at exec
  // time. Never run through a shell: callers that want one pass {"/bin/sh", "-c", script}.
  std::vector<std::string> argv;
  EnvMap env;                 // the child's whole environment
  std::filesystem::path cwd;  // empty: omk's working directory
  Stdio stdin_mode = Stdio::kPipe;
  Stdio stdout_mode = Stdio::kPipe;
  Stdio stderr_mode = Stdio::kPipe;
  // A new session and process group: the child has no controlling terminal (it cannot write
  // around omk's redactor to /dev/tty) and omk can signal its whole group.
  bool new_session = true;
  // PR_SET_PDEATHSIG(SIGKILL): the child dies with the *thread* that spawned it, so spawn from
  // a thread that outlives the child.
  bool die_with_parent = true;
  const ChildSetup* setup = nullptr;  // owned by the caller; must outlive spawn()
};

// The child could not be started; nothing of the program ran.
class SpawnError : public std::runtime_error {
 public:
  SpawnError(std::string step, int error);
  const std::string& step() const { return step_; }
  int error() const { return error_; }
  // 127 when the program was not found, 126 otherwise (as a shell reports).
  int shell_code() const;

 private:
  std::string step_;
  int error_;
};

// A running child: its pipes, its process group and its exit. Movable, not copyable. The
// destructor kills the whole group and reaps the child if nobody waited: no zombies.
class Child {
 public:
  static Child spawn(const SpawnOptions& options);  // throws SpawnError

  Child(Child&& other) noexcept;
  Child& operator=(Child&& other) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child();

  pid_t pid() const { return pid_; }
  // Our ends of the pipes (close-on-exec, non-blocking); -1 when not piped or closed.
  int stdin_fd() const { return stdin_; }
  int stdout_fd() const { return stdout_; }
  int stderr_fd() const { return stderr_; }
  // Readable once the child has exited (pidfd_open); -1 on kernels without pidfds.
  int exit_fd() const { return pidfd_; }

  void close_stdin();
  void close_stdout();
  void close_stderr();

  // Sends `sig` to the child's process group (to the child alone when it has none).
  void signal_group(int sig) const;
  // True once the child has exited; does not reap it, so its pid stays reserved.
  bool has_exited() const;
  // Reaps the child (blocking) and returns the program's status. Idempotent.
  const ExitStatus& wait();
  bool reaped() const { return status_.has_value(); }

 private:
  Child() = default;
  void release() noexcept;

  pid_t pid_ = -1;
  bool own_group_ = false;
  int stdin_ = -1;
  int stdout_ = -1;
  int stderr_ = -1;
  int pidfd_ = -1;
  int supervisor_status_ = -1;  // read end: the supervisor's report of the program's status
  std::optional<ExitStatus> status_;
};

}  // namespace omk::process
