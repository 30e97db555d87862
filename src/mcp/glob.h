#pragma once

#include <string_view>

namespace omk::mcp {

// Shell-style glob over '/'-separated relative paths: "*" and "?" stay within one path segment,
// "**" spans segments ("src/**/*.cc", "**/test_*"), "[...]" is a character class. A pattern
// without '/' is matched against the file name alone, at any depth ("*.md").
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace omk::mcp
