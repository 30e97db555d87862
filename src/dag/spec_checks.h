#pragma once

#include "dag/spec.h"
#include "dag/yaml_reader.h"

namespace omk::dag {

// The checks that need the whole spec: duplicate ids, unknown or self dependencies, cycles,
// review gates and builtin targets that name the wrong node, gates that cannot apply to their
// node's kind.
void check_spec(const DagSpec& spec, YamlReader& reader);

}  // namespace omk::dag
