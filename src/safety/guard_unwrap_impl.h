#pragma once

// Private to guard_unwrap*.cc: building blocks for reading wrappers' option syntax.

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "safety/guard_programs.h"

namespace omk::guard::unwrapping {

using Args = std::vector<Arg>;

bool starts_with(std::string_view text, std::string_view prefix);
bool contains(std::initializer_list<std::string_view> list, std::string_view item);
size_t skip_options(const Args& argv, size_t i, std::string_view short_values,
                    std::initializer_list<std::string_view> long_values = {});
Args tail(const Args& argv, size_t from);
Arg join(const Args& args, size_t from, std::string_view separator = " ");
Arg placeholder(std::string text);
Unwrapped argv_of(Args argv, std::string via);
Unwrapped code_of(const Arg& word, Language language, std::string via, bool inline_code);
Unwrapped stdin_code(Language language, std::string via);
Unwrapped file_code(const Arg& file, Language language, std::string via);
void add_if_operands(std::vector<Unwrapped>& out, const Args& argv, size_t first,
                     const std::string& via);

// Wrappers that run code rather than another command line.
void unwrap_shell(const Invocation& inv, std::vector<Unwrapped>& out);
void unwrap_interpreter(const Invocation& inv, Language language, std::vector<Unwrapped>& out);
void unwrap_awk(const Invocation& inv, std::vector<Unwrapped>& out);
void unwrap_editor(const Invocation& inv, std::vector<Unwrapped>& out);
void unwrap_command_options(const Invocation& inv, std::vector<Unwrapped>& out);
void unwrap_git_alias(const Invocation& inv, std::vector<Unwrapped>& out);

}  // namespace omk::guard::unwrapping
