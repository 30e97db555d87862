#pragma once

#include <string_view>

namespace omk {

// One line of text without the spaces and tabs around it and without the '\r' of a CRLF ending
// (lines of checklists, patches and slash commands).
std::string_view trim_line(std::string_view line);

}  // namespace omk
