#pragma once

#include "cli/context.h"
#include "core/json_output.h"
#include "process/runner.h"
#include "sandbox/enforcement.h"

namespace omk::cli {

// `omk sandbox probe [--json]`.
int run_sandbox_probe(bool json, const Context& context);

// Before a human-mode run: full access and every missing layer are said out loud on stderr.
void warn_about_enforcement(const sandbox::Enforcement& enforcement);

// The "result" object of omk.sandbox-run.v1.
Json run_result_json(const process::RunResult& result);

}  // namespace omk::cli
