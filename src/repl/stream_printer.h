#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "core/output.h"
#include "providers/turn.h"

namespace omk::repl {

// Shows a turn as it happens: the assistant's text as it streams (through a redacting stream
// filter, so a secret split across deltas is still caught; it releases whole lines), and each
// command, file change or tool call as one marker line. To stdout, or stderr when stdout holds
// a JSON document.
class StreamPrinter {
 public:
  explicit StreamPrinter(bool to_stderr);

  void on_event(const providers::TurnEvent& event);
  // A marker line of omk's own ("→ claude ...").
  void note(const std::string& line);
  // Releases held text and ends the line.
  void finish();
  bool printed_text() const { return printed_text_; }

 private:
  void write(const std::string& text);
  void end_line();

  bool to_stderr_;
  std::mutex mutex_;
  std::unique_ptr<StreamFilter> filter_;
  bool at_line_start_ = true;
  bool printed_text_ = false;
};

}  // namespace omk::repl
