#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace omk {

// Writes `content` to `path` so that a reader (or a crash) sees either the old file or the
// whole new one: temp file in the same directory, fsync, rename, fsync of the directory.
// Throws UserError (exit 2) naming the path when the write cannot be done; nothing is left
// behind on failure.
void write_file_atomic(const std::filesystem::path& path, std::string_view content,
                       mode_t mode = 0644);

// Reads a whole file. Returns nullopt when it does not exist; throws UserError naming the path
// for any other failure (unreadable, a directory).
std::optional<std::string> read_file_if_exists(const std::filesystem::path& path);

}  // namespace omk
