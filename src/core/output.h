#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace omk {

// Every byte omk prints goes through here so that one filter (the safety layer's redactor,
// installed at startup) guards every sink. Layers below safety cannot reach the terminal
// around it.
using OutputFilter = std::function<std::string(std::string_view)>;

void set_output_filter(OutputFilter filter);
std::string filter_output(std::string_view text);

// A stateful filter for a byte stream that arrives in chunks (a child's stdout, a log being
// written). feed() may hold back a bounded tail so that a secret split across two chunks is
// still caught; finish() releases what is left.
class StreamFilter {
 public:
  virtual ~StreamFilter() = default;
  virtual std::string feed(std::string_view chunk) = 0;
  virtual std::string finish() = 0;
};

using StreamFilterFactory = std::function<std::unique_ptr<StreamFilter>()>;

// Installed once at startup (the safety layer's redactor); every stream sink asks for a fresh
// filter here, so no layer can write a stream around it. Without one installed, the filter
// passes bytes through unchanged.
void set_stream_filter_factory(StreamFilterFactory factory);
std::unique_ptr<StreamFilter> make_stream_filter();

// Human text on stdout.
void print_out(std::string_view text);
// Diagnostics on stderr.
void print_err(std::string_view text);

}  // namespace omk
