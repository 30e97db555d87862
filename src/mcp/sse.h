#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omk::mcp {

// A Server-Sent Events stream parser (the WHATWG event-stream format): lines ending in LF, CR
// or CRLF; "data:" lines joined with "\n"; a blank line dispatches; ":" comments ignored.
struct SseEvent {
  std::string event;  // "message" when not given
  std::string data;
  std::string id;  // the last event id seen so far (for Last-Event-ID on reconnect)
};

class SseParser {
 public:
  explicit SseParser(size_t max_event_bytes) : max_(max_event_bytes) {}

  // Appends the events completed by `chunk`. Returns false when an event grew beyond the bound
  // (the stream must be dropped).
  bool feed(std::string_view chunk, std::vector<SseEvent>& out);

  const std::string& last_event_id() const { return last_id_; }
  std::optional<int64_t> retry_ms() const { return retry_ms_; }

 private:
  void line(std::string_view text, std::vector<SseEvent>& out);

  size_t max_;
  std::string pending_;   // an incomplete line
  bool skip_lf_ = false;  // a CR ended the last line; a following LF belongs to it
  std::string event_;
  std::string data_;
  bool has_data_ = false;
  std::string last_id_;
  std::optional<int64_t> retry_ms_;
};

}  // namespace omk::mcp
