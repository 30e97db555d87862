#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omk::mcp {

// Where `command` would be executed from, found in-process (a PATH walk and stat calls; no
// `which`, no shell). A command containing "/" is a path, relative to `base`. Used by the offline
// summary, so it must never start anything.
std::optional<std::filesystem::path> find_executable(std::string_view command,
                                                     std::string_view path_variable,
                                                     const std::filesystem::path& base);

// The first word of a shell command line, with quotes and backslashes removed; nullopt when it
// cannot be decided without running a shell (a variable or substitution in it).
std::optional<std::string> first_shell_word(std::string_view command_line);

// Shell built-ins and keywords that need no executable.
bool is_shell_builtin(std::string_view word);

}  // namespace omk::mcp
