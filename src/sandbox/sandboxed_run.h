#pragma once

#include "process/runner.h"
#include "sandbox/sandbox.h"

namespace omk::sandbox {

// Runs one child inside `sandbox` (the way every lane and agent turn runs): the sandbox's setup
// is applied between fork and exec. When the kernel refuses a namespace or mount layer at spawn
// time (nothing of the program has run yet), that layer is dropped, reported in the sandbox's
// enforcement and the spawn retried, unless the request requires the sandbox: then this throws
// UserError (exit 3) naming the layer. The caller builds options.spawn.env (scrubbed, with
// sandbox.apply_to_environment()) and the rest of the run options.
process::RunResult run_sandboxed(Sandbox& sandbox, process::RunOptions options);

// The same for a long-lived, interactive child (an MCP stdio server): spawns it in `sandbox`
// with the same fallback, and returns the handle (use process::StreamPump on it). Throws
// process::SpawnError when it cannot start, UserError (exit 3) when `require` refuses. The
// Sandbox must outlive the Child.
process::Child spawn_sandboxed(Sandbox& sandbox, process::SpawnOptions options);

}  // namespace omk::sandbox
