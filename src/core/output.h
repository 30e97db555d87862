#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace omk {

// Every byte omk prints goes through here so that one filter (the safety layer's redactor,
// installed at startup) guards every sink. Layers below safety cannot reach the terminal
// around it.
using OutputFilter = std::function<std::string(std::string_view)>;

void set_output_filter(OutputFilter filter);
std::string filter_output(std::string_view text);

// Human text on stdout.
void print_out(std::string_view text);
// Diagnostics on stderr.
void print_err(std::string_view text);

}  // namespace omk
