#pragma once

#include <string>

#include "core/json_output.h"
#include "dag/spec.h"

namespace omk::dag {

// The normalised spec: every default written out, no `defaults:` section. It is itself a valid
// omk.dag.v1 document (read_spec reads it back to the same spec), which is what run.json keeps
// so that resume, replay and verify use exactly what ran.
Json spec_to_json(const DagSpec& spec);

// "sha256:..." of the normalised spec: formatting and defaults spelled out do not change it.
std::string spec_hash(const DagSpec& spec);

// Reads back a normalised spec recorded in run.json.
DagSpec spec_from_json(const Json& json, const std::string& source);

}  // namespace omk::dag
