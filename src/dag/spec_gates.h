#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "dag/spec.h"
#include "dag/yaml_reader.h"

namespace omk::dag {

// Reads a node's `evidence:` list: each item is a mapping with exactly one key naming the gate.
void read_gates(const YAML::Node& list, NodeSpec& node, const std::string& label,
                YamlReader& reader);

}  // namespace omk::dag
