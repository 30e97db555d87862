#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/output.h"
#include "process/child.h"

namespace omk::process {

using Clock = std::chrono::steady_clock;

// What happens to one of a child's output streams.
struct StreamHandler {
  // Called with each chunk as it arrives, after the redactor (core/output.h's stream filter).
  std::function<void(std::string_view)> on_data;
  // Bytes of (redacted) output kept in the capture; the rest is counted, not kept.
  size_t capture_limit = 1 << 20;
  // false only for a protocol channel (an MCP server's stdout) whose bytes go to a parser, never
  // to a terminal, log or artifact; whatever the parser prints goes through a sink's filter.
  bool redact = true;
};

struct CapturedStream {
  std::string text;            // the first capture_limit bytes of the redacted stream
  uint64_t read_bytes = 0;     // bytes the child wrote
  uint64_t dropped_bytes = 0;  // redacted bytes beyond the limit, counted and not kept
};

// Moves bytes between omk and one child: queued stdin out, stdout/stderr in through a fresh
// redacting filter per stream. One call to pump() waits once (until I/O, the deadline, the child's
// exit or a cancel), handles everything ready and returns; callers loop with their own
// conditions. run() is one such loop; an interactive client (MCP stdio) is another: it send()s
// requests, pumps until its stdout handler has seen a response line, and keeps stdin open.
class StreamPump {
 public:
  StreamPump(Child& child, StreamHandler out, StreamHandler err);

  // Queues bytes for the child's stdin. Returns false once stdin is closed (the child exited
  // or stopped reading).
  bool send(std::string_view data);
  // Forwards everything readable from `fd` (owned by the caller) to the child's stdin and
  // closes the child's stdin at EOF. The child never receives `fd` itself.
  void forward_stdin_from(int fd);
  // Closes the child's stdin once everything queued has been written.
  void close_stdin_when_drained();

  struct Wake {
    bool exited = false;     // the child has exited (not yet reaped)
    bool cancelled = false;  // cancel_fd became readable
    bool deadline = false;   // `until` passed
  };
  Wake pump(std::optional<Clock::time_point> until, int cancel_fd = -1);

  bool output_open() const;
  // Flushes what the filters held back; call once after the streams closed.
  void finish();
  // Stops reading: closes our ends of the output pipes (what is still in them is lost).
  void abandon_output();

  const CapturedStream& out() const { return out_.capture; }
  const CapturedStream& err() const { return err_.capture; }
  uint64_t stdin_written() const { return stdin_written_; }

 private:
  struct Stream {
    StreamHandler handler;
    std::unique_ptr<StreamFilter> filter;
    CapturedStream capture;
    bool finished = false;
  };
  void deliver(Stream& stream, std::string_view text);
  void read_from(int fd, Stream& stream, bool is_stdout);
  void write_stdin();
  void read_forward_source();

  Child& child_;
  Stream out_;
  Stream err_;
  std::string pending_;
  size_t pending_offset_ = 0;
  bool close_when_drained_ = false;
  int forward_fd_ = -1;
  uint64_t stdin_written_ = 0;
  bool exit_seen_ = false;  // a pidfd stays readable after exit: stop polling it
};

}  // namespace omk::process
