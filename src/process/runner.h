#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "process/cancel.h"
#include "process/child.h"
#include "process/stream_pump.h"

namespace omk::process {

// How a child gets its stdin.
struct StdinSource {
  enum class Kind { kNone, kData, kForwardFd };
  Kind kind = Kind::kNone;  // kNone: /dev/null
  std::string data;         // kData: written whole, then stdin is closed (the prompt transport)
  int fd = -1;              // kForwardFd: copied from this descriptor of omk's until EOF

  static StdinSource none() { return {}; }
  static StdinSource text(std::string data) { return {Kind::kData, std::move(data), -1}; }
  static StdinSource forward(int fd) { return {Kind::kForwardFd, {}, fd}; }
};

struct RunOptions {
  SpawnOptions spawn;  // its stdio modes are set by run()
  StdinSource stdin_source;
  StreamHandler out;
  StreamHandler err;
  std::optional<std::chrono::milliseconds> timeout;
  // After SIGTERM (timeout or cancel), how long the group has before SIGKILL.
  std::chrono::milliseconds kill_grace{2000};
  const CancelToken* cancel = nullptr;
  // When the child exits, SIGKILL whatever is left in its process group: a turn's background
  // processes do not outlive it, and cannot hold its output pipes open.
  bool kill_group_on_exit = true;
  // How long to keep reading after the group is gone, for output held open by a process that
  // left the group (setsid); after that the pipes are abandoned.
  std::chrono::milliseconds drain_after_exit{1000};
};

struct StartFailure {
  std::string step;  // "exec", or the ChildSetup step that failed
  int error = 0;     // errno
  std::string message() const;
};

struct RunResult {
  std::optional<StartFailure> start_failure;  // set: nothing of the program ran
  // What the caller should exit with: the program's code, 128 + signal, 124 on timeout,
  // 130 when cancelled, 127/126 when it could not be started.
  int exit_code = 0;
  std::optional<ExitStatus> status;  // the program's own status (absent on start failure)
  bool timed_out = false;
  bool cancelled = false;
  int64_t wall_ms = 0;
  CapturedStream out;
  CapturedStream err;
  uint64_t stdin_written = 0;
};

// Runs one child to completion: spawn, stdin, output through the redactor into the handlers
// and captures, timeout and cancellation (SIGTERM to the group, SIGKILL after the grace),
// reaping. Never throws for anything the child does; a child that cannot start comes back as
// start_failure.
RunResult run(const RunOptions& options);

}  // namespace omk::process
