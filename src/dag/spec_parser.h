#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dag/spec.h"

namespace omk::dag {

struct SpecDefaults {
  int64_t lane_timeout_ms = 10 * 60 * 1000;   // command and builtin lanes
  int64_t agent_timeout_ms = 10 * 60 * 1000;  // agent lanes ([runtime] turn_timeout_ms)
  int64_t backoff_ms = 1000;
};

struct SpecResult {
  std::optional<DagSpec> spec;        // set only when there are no problems
  std::vector<SpecProblem> problems;  // every problem found, in file order
};

// Parses and validates a spec (YAML, or JSON, which YAML reads too): syntax, unknown keys, types,
// values, duplicate ids, unknown dependencies, cycles, unknown providers, and gates that cannot
// apply to their node. `source` names the file in messages.
SpecResult read_spec(std::string_view text, const std::string& source,
                     const SpecDefaults& defaults = {});

// Reads a spec file; a missing or unreadable file is a UserError (exit 2).
SpecResult read_spec_file(const std::filesystem::path& path, const std::string& display_name,
                          const SpecDefaults& defaults = {});

// Throws one UserError (exit 2) listing every problem as file:line:column: message.
DagSpec require_valid(const SpecResult& result, const std::string& source);

}  // namespace omk::dag
