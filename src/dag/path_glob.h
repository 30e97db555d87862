#pragma once

#include <string_view>

namespace omk::dag {

// Matches a repository-relative path against a glob, gitignore style: `*` and `?` stay within
// one path segment, `**` spans any number of segments, `[...]` is a character class, and a
// pattern without a `/` matches the file name at any depth ("*.md" matches "docs/a.md").
bool glob_matches(std::string_view pattern, std::string_view path);

}  // namespace omk::dag
