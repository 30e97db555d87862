#pragma once

#include <string>

#include "core/json_output.h"
#include "dag/spec.h"
#include "runs/run_records.h"

namespace omk::dag {

// The DAG as SVG: Graphviz's `dot` when it is installed, else omk's own layered layout (so the
// report needs nothing beyond omk). Node fill colours show their states.
std::string dag_svg(const DagSpec& spec, const runs::RunState& state);
// omk's own layout, always available (and what the tests check).
std::string dag_svg_builtin(const DagSpec& spec, const runs::RunState& state);

// `omk inspect --html`: one self-contained HTML page (no scripts, no external resources) from an
// omk.inspect.v1 document made with log tails, and the run's spec.
std::string html_report(const Json& inspect, const DagSpec& spec, const runs::RunState& state);

}  // namespace omk::dag
