#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "process/child_setup.h"

namespace omk::process::detail {

// Everything the child needs between fork and exec, built before fork so the child only reads
// it (no allocation after fork).
struct ExecPlan {
  std::vector<std::string> candidate_storage;  // argv[0] resolved against PATH, in order
  std::vector<const char*> candidates;
  std::vector<std::string> argv_storage;
  std::vector<char*> argv;
  std::vector<std::string> env_storage;
  std::vector<char*> envp;
  std::string cwd;              // empty: keep the parent's
  int stdio[3] = {-1, -1, -1};  // fds to place on 0, 1, 2; -1 keeps what is there
  bool new_session = true;
  bool die_with_parent = true;
  int lifeline_read = -1;  // EOF here means omk died before the child set PDEATHSIG
  int report_write = -1;   // close-on-exec: EOF tells the parent exec succeeded
  int status_write = -1;   // the supervisor writes the program's wait status here
  int close_fallback_limit = 4096;
  const ChildSetup* setup = nullptr;
};

// What a child writes to the report pipe when it cannot reach exec.
struct ChildFailure {
  int error = 0;
  char step[120] = {};
};

// Runs in the child; never returns.
[[noreturn]] void run_child(const ExecPlan& plan) noexcept;

}  // namespace omk::process::detail
