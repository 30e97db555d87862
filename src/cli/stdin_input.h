#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace omk::cli {

// Reads all of stdin. Returns nullopt when it holds more than `limit` bytes; the rest is still
// read and dropped, so the writer never dies of a broken pipe.
std::optional<std::string> read_stdin(size_t limit);

}  // namespace omk::cli
