#pragma once

#include <string>
#include <string_view>

namespace omk {

// A run id sorts by start time and is unique without coordination:
// "20261125-220956-0423fa9c1" (UTC date, time, milliseconds, 24 random bits).
std::string new_run_id();

// Node ids in DAG specs and run directories: [A-Za-z0-9][A-Za-z0-9._-]*, at most 128 bytes.
// They become path components, so anything else is refused.
bool is_valid_node_id(std::string_view id);
bool is_valid_run_id(std::string_view id);

}  // namespace omk
