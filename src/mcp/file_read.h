#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace omk::mcp {

// Reading a tool-plane file: its text, or why it could not be read (for a diagnostic).
struct FileText {
  bool exists = false;
  std::optional<std::string> text;  // set when read
  std::string error;                // set when it exists but could not be read
};

constexpr size_t kMaxToolPlaneFileBytes = 4 * 1024 * 1024;

// Opened non-blocking, so a FIFO or device in place of a file is refused instead of hanging.
FileText read_tool_plane_file(const std::filesystem::path& path,
                              size_t max_bytes = kMaxToolPlaneFileBytes);

// The same for a descriptor the caller opened (and checked); closes it.
FileText read_open_file(int fd, size_t max_bytes);

}  // namespace omk::mcp
