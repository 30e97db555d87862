#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace omk::runs {

// "sha256:<64 hex digits>" of the bytes: how run records name specs and artifacts so that
// reports can show hashes instead of contents.
std::string sha256_digest(std::string_view bytes);

// The digest of a file's contents, or nullopt when it cannot be read.
std::optional<std::string> sha256_file_digest(const std::filesystem::path& path);

}  // namespace omk::runs
