#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/json_output.h"

namespace omk::providers {

// A user's JSON settings file (~/.gemini/settings.json), read quietly: nullopt when absent or
// not a JSON object. Only single fields are taken from it, never the whole file.
std::optional<Json> read_json_file(const std::filesystem::path& path);

// The string at a dotted path ("security.auth.selectedType"), or "".
std::string json_path_string(const Json& document, const std::string& dotted);

}  // namespace omk::providers
