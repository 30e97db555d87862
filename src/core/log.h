#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace omk::log {

// Diagnostics go to stderr as "omk: <level>: <message>". Debug lines appear only when
// OMK_DEBUG=1 is set in omk's own environment.
bool debug_enabled();
void set_debug_enabled(bool enabled);

void write(std::string_view level, std::string_view message);

template <typename... Args>
void warn(fmt::format_string<Args...> format, Args&&... args) {
  write("warning", fmt::format(format, std::forward<Args>(args)...));
}

template <typename... Args>
void error(fmt::format_string<Args...> format, Args&&... args) {
  write("error", fmt::format(format, std::forward<Args>(args)...));
}

template <typename... Args>
void note(fmt::format_string<Args...> format, Args&&... args) {
  write("note", fmt::format(format, std::forward<Args>(args)...));
}

template <typename... Args>
void debug(fmt::format_string<Args...> format, Args&&... args) {
  if (debug_enabled()) write("debug", fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace omk::log
