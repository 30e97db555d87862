#pragma once

#include <map>
#include <optional>
#include <string>

namespace omk {

// A process environment as an ordered map (deterministic output, easy to diff in tests).
using EnvMap = std::map<std::string, std::string>;

// omk's own environment at the time of the call.
EnvMap current_environment();

// A variable's value, or nullopt when unset. Empty values count as set.
std::optional<std::string> env_value(const EnvMap& env, const std::string& name);

// "1", "true", "yes", "on" (any case) are true; anything else, including unset, is false.
bool env_flag(const EnvMap& env, const std::string& name);

}  // namespace omk
