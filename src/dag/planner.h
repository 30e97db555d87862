#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "dag/spec.h"
#include "dag/spec_parser.h"

namespace omk::dag {

// `omk run "GOAL"`: a one-lane pipeline whose planner agent (read-only) answers with the lanes
// that reach the goal as an omk.dag.v1 document; omk validates that document with the spec
// reader, shows it, and runs it as a pipeline of its own.

inline constexpr const char* kPlannerNode = "plan";

// The planner's pipeline: one agent lane `plan`, role planner, risk read, read-only sandbox.
DagSpec planner_spec(const std::string& goal, const SpecDefaults& defaults);

// What the planner is asked (the goal and the format of the answer).
std::string planner_prompt(const std::string& goal);

// The pipeline text in the planner's final message: the last fenced ```yaml / ```yml / ```json
// block (or bare ``` block) that mentions `nodes`, else the whole message.
std::string extract_plan(std::string_view final_message);

}  // namespace omk::dag
