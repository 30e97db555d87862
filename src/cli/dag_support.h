#pragma once

#include <optional>
#include <string>

#include "cli/context.h"
#include "dag/spec.h"
#include "dag/spec_parser.h"
#include "runs/run_records.h"
#include "runs/run_store.h"

namespace omk::cli {

// Spec defaults that come from the project configuration.
dag::SpecDefaults spec_defaults(const Config& config);

// A pipeline named on the command line: a spec file, or the spec a recorded run ran.
struct NamedSpec {
  dag::DagSpec spec;
  std::string source;                   // file name, or "run <id>"
  std::optional<std::string> run_id;    // when it named a run
  std::optional<runs::RunState> state;  // the run's node states
};

// A path that exists is a spec file (exit 2 with every problem when invalid); otherwise the
// name must be a run id of this project.
NamedSpec load_named_spec(const std::string& name, const Context& context);

// The recorded spec of a run.
dag::DagSpec recorded_spec(const runs::RunStore& store, const std::string& run_id);

}  // namespace omk::cli
