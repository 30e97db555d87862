#pragma once

#include <string>
#include <vector>

#include "safety/guard_types.h"

namespace omk::guard {

// A file an invocation reads, writes or deletes, whatever the tool: redirections, readers
// (cat, grep, tar ...), copies, in-place editors, uploads. This is what lets a Read/Edit rule
// or the secret-file rule apply to `cat .env` as much as to an agent's Read tool.
struct FileUse {
  enum class Kind { kRead, kWrite, kDelete };
  Kind kind = Kind::kRead;
  Arg path;
};

std::vector<FileUse> file_uses(const Invocation& invocation);

// Operands of an invocation (arguments that are not options), skipping the values of options
// that take one. `short_values`: letters of short options with a value; `long_values`: long
// options with a value when not written as --name=value.
std::vector<size_t> operand_indices(const Invocation& invocation, std::string_view short_values,
                                    std::initializer_list<std::string_view> long_values = {});

bool has_short_flag(const Invocation& invocation, char letter);
bool has_long_flag(const Invocation& invocation, std::string_view name);  // --name or --name=...

}  // namespace omk::guard
