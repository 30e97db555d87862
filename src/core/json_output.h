#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace omk {

// Key order is insertion order so that "schema" comes first and documents read naturally.
using Json = nlohmann::ordered_json;

// Every --json output is one document whose "schema" is "omk.<name>.v1" and which validates
// against schemas/omk.<name>.v1.json.
Json json_envelope(std::string_view name);

// Pretty-prints (2-space indent, trailing newline) through the output filter.
void print_json(const Json& document);

}  // namespace omk
