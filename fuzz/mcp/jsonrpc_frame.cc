// Fuzz target: the JSON-RPC frame parser and the two framers that feed it: the stdio line
// framer and the Streamable HTTP SSE parser.
// Properties checked: no crash or sanitizer report on any input; every accepted message
// re-serialises to one line that parses back to the same message; the framer never buffers more
// than its bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mcp/jsonrpc.h"
#include "mcp/sse.h"

namespace {

using omk::mcp::jsonrpc::LineFramer;
using omk::mcp::jsonrpc::parse_frame;
using omk::mcp::jsonrpc::serialize;
using omk::mcp::jsonrpc::to_json;

constexpr size_t kBound = 4096;

void check_frame(std::string_view line) {
  auto frame = parse_frame(line, kBound);
  if (frame.error) return;
  for (const auto& message : frame.messages) {
    std::string again = serialize(to_json(message));
    if (again.find('\n') != std::string::npos) std::abort();
    auto reparsed = parse_frame(again, again.size());
    if (reparsed.error || reparsed.messages.size() != 1) std::abort();
    if (serialize(to_json(reparsed.messages[0])) != again) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the chunk size, so line splitting is exercised at every offset.
  size_t chunk = (data[0] % 64) + 1;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  check_frame(input);
  LineFramer framer(kBound);
  std::vector<LineFramer::Event> events;
  for (size_t at = 0; at < input.size(); at += chunk) {
    framer.feed(input.substr(at, chunk), events);
    if (framer.buffered() > kBound) std::abort();
  }
  if (auto last = framer.finish()) events.push_back(std::move(*last));
  for (const auto& event : events) {
    if (event.oversized) continue;
    if (event.line.size() > kBound || event.line.find('\n') != std::string::npos) std::abort();
    check_frame(event.line);
  }
  omk::mcp::SseParser sse(kBound);
  std::vector<omk::mcp::SseEvent> sse_events;
  for (size_t at = 0; at < input.size(); at += chunk) {
    if (!sse.feed(input.substr(at, chunk), sse_events)) break;  // over the bound: dropped
  }
  for (const auto& event : sse_events) {
    if (event.data.size() > kBound) std::abort();
    check_frame(event.data);
  }
  return 0;
}
