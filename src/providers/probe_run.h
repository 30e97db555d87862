#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "providers/adapter.h"
#include "providers/binary_lookup.h"
#include "providers/context.h"

namespace omk::providers {

// A short, token-free run of a CLI for health checks (`--version`, `--help`, `codex login
// status`): read-only sandbox without network, the adapter's scrubbed environment, a private
// HOME (holding copies of the login files when `with_login` is set), stdin closed, a hard
// timeout.
struct ProbeRun {
  int exit_code = -1;
  bool timed_out = false;
  bool start_failed = false;
  std::string out;
  std::string err;
  std::string problem;  // omk's words when it could not run at all
};

ProbeRun run_probe(const Adapter& adapter, const FoundBinary& binary,
                   const std::vector<std::string>& args, const ProviderContext& context,
                   bool with_login, std::chrono::milliseconds timeout);

}  // namespace omk::providers
