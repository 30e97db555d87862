#pragma once

namespace omk {

// The process exit codes every command uses (DESIGN.md "Contracts").
enum class ExitCode : int {
  kOk = 0,
  kFailed = 1,      // the command ran and found a problem (gate failed, leaks found)
  kUsage = 2,       // bad flags, bad config, bad input files
  kPolicy = 3,      // refused by policy
  kNoProvider = 4,  // no healthy provider could be resolved
  kTimeout = 124,
  kInterrupted = 130,
};

constexpr int to_int(ExitCode code) {
  return static_cast<int>(code);
}

}  // namespace omk
