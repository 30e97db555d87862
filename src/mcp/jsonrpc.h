#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_output.h"

namespace omk::mcp::jsonrpc {

// The largest message omk accepts from a server, on any transport. A server that sends more is
// broken or hostile; its frame is refused, not buffered.
constexpr size_t kDefaultMaxMessageBytes = 16 * 1024 * 1024;
// Nesting deeper than this is refused before parsing (no real MCP message comes close).
constexpr size_t kMaxNesting = 128;

// JSON-RPC 2.0 error codes used by MCP.
constexpr int64_t kParseError = -32700;
constexpr int64_t kInvalidRequest = -32600;
constexpr int64_t kMethodNotFound = -32601;
constexpr int64_t kInvalidParams = -32602;
constexpr int64_t kInternalError = -32603;
constexpr int64_t kHeaderMismatch = -32020;
constexpr int64_t kMissingRequiredClientCapability = -32021;
constexpr int64_t kUnsupportedProtocolVersion = -32022;

enum class Kind { kRequest, kNotification, kResponse, kErrorResponse };

struct Message {
  Kind kind = Kind::kNotification;
  Json id;  // integer or string; null for notifications
  std::string method;
  Json params;  // object, array or null
  Json result;
  int64_t error_code = 0;
  std::string error_message;
  Json error_data;

  bool is_request() const { return kind == Kind::kRequest; }
  bool is_response() const { return kind == Kind::kResponse || kind == Kind::kErrorResponse; }
};

enum class FrameErrorType { kMalformedJson, kNotJsonRpc, kOversized, kTooDeep };

struct FrameError {
  FrameErrorType type;
  std::string reason;  // never quotes the frame
};

struct ParsedFrame {
  std::vector<Message> messages;  // one, or several for a batch array
  std::optional<FrameError> error;
  bool batch = false;
};

// Parses one frame (a stdio line, an SSE event's data, an HTTP body).
ParsedFrame parse_frame(std::string_view text, size_t max_bytes = kDefaultMaxMessageBytes);

// Classifies an already-parsed JSON value.
std::optional<Message> to_message(const Json& value, std::string& problem);

Json make_request(const Json& id, std::string_view method, Json params);
Json make_notification(std::string_view method, Json params);
Json make_result(const Json& id, Json result);
Json make_error(const Json& id, int64_t code, std::string_view message, Json data = nullptr);
Json to_json(const Message& message);

// One line, no raw newline inside (JSON escapes them), invalid UTF-8 replaced.
std::string serialize(const Json& message);

// Splits a byte stream into newline-terminated lines with a size bound. A line longer than the
// bound is reported once as oversized and the rest of it is discarded as it arrives, so a huge
// frame costs no more memory than the bound.
class LineFramer {
 public:
  explicit LineFramer(size_t max_line_bytes = kDefaultMaxMessageBytes) : max_(max_line_bytes) {}

  struct Event {
    bool oversized = false;
    std::string line;  // without "\n" (and a trailing "\r")
  };

  void feed(std::string_view data, std::vector<Event>& out);
  // What is left without a newline at end of stream: a final unterminated line.
  std::optional<Event> finish();
  size_t buffered() const { return buffer_.size(); }

 private:
  size_t max_;
  std::string buffer_;
  bool discarding_ = false;
};

}  // namespace omk::mcp::jsonrpc
