#pragma once

#include <sys/resource.h>

#include <cstdint>
#include <string>

namespace omk::process {

// How a program ended: its wait status (the program's own, also when a supervisor stood between
// omk and the program) and the resources it and its reaped descendants used.
struct ExitStatus {
  int wait_status = 0;
  struct rusage usage {};

  bool exited() const;
  bool signaled() const;
  int code() const;    // exit code; 0 when killed by a signal
  int signal() const;  // terminating signal; 0 when it exited
  // What a shell reports in $?: the exit code, or 128 + signal.
  int shell_code() const;
  double user_ms() const;
  double system_ms() const;
  int64_t max_rss_kb() const;
  std::string describe() const;  // "exit 3", "killed by SIGKILL"
};

}  // namespace omk::process
