#pragma once

#include <optional>
#include <string>

#include "dag/spec.h"
#include "runs/run_records.h"

namespace omk::dag {

// Human and Graphviz renderings of a spec, with node states when it is a recorded run.
std::string spec_as_text(const DagSpec& spec, const runs::RunState* state);
std::string spec_as_dot(const DagSpec& spec, const runs::RunState* state);

// The fill colour a node state is drawn with (DOT and the HTML report agree).
std::string state_colour(runs::NodeState state);

}  // namespace omk::dag
