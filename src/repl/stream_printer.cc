#include "repl/stream_printer.h"

#include <fmt/format.h>

namespace omk::repl {

StreamPrinter::StreamPrinter(bool to_stderr)
    : to_stderr_(to_stderr), filter_(make_stream_filter()) {}

void StreamPrinter::write(const std::string& text) {
  if (text.empty()) return;
  if (to_stderr_) {
    print_err(text);
  } else {
    print_out(text);
  }
  at_line_start_ = text.back() == '\n';
}

void StreamPrinter::end_line() {
  if (filter_) write(filter_->finish());
  if (!at_line_start_) write("\n");
}

void StreamPrinter::on_event(const providers::TurnEvent& event) {
  std::lock_guard lock(mutex_);
  using Kind = providers::TurnEvent::Kind;
  switch (event.kind) {
    case Kind::kText:
      if (event.text.empty()) return;
      printed_text_ = true;
      write(filter_ ? filter_->feed(event.text) : event.text);
      return;
    case Kind::kCommand:
      end_line();
      write(fmt::format("  $ {}{}\n", event.command,
                        event.exit_code ? fmt::format("  (exit {})", *event.exit_code) : ""));
      return;
    case Kind::kFileChange:
      end_line();
      write(fmt::format("  ~ {}\n", event.path));
      return;
    case Kind::kTool:
      end_line();
      write(fmt::format("  · {}\n", event.tool.empty() ? std::string("tool call") : event.tool));
      return;
    case Kind::kError:
      end_line();
      write(fmt::format("  ! {}\n", event.text));
      return;
  }
}

void StreamPrinter::note(const std::string& line) {
  std::lock_guard lock(mutex_);
  end_line();
  write(line + "\n");
}

void StreamPrinter::finish() {
  std::lock_guard lock(mutex_);
  end_line();
}

}  // namespace omk::repl
