#include "mcp/jsonrpc.h"

#include <gtest/gtest.h>

namespace omk::mcp::jsonrpc {
namespace {

TEST(JsonRpc, ClassifiesEveryKind) {
  auto request = parse_frame(R"({"jsonrpc":"2.0","id":7,"method":"tools/list","params":{}})");
  ASSERT_FALSE(request.error);
  EXPECT_EQ(request.messages[0].kind, Kind::kRequest);
  EXPECT_EQ(request.messages[0].id, 7);
  auto note = parse_frame(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  EXPECT_EQ(note.messages[0].kind, Kind::kNotification);
  auto result = parse_frame(R"({"jsonrpc":"2.0","id":"x","result":{"ok":true}})");
  EXPECT_EQ(result.messages[0].kind, Kind::kResponse);
  EXPECT_EQ(result.messages[0].result["ok"], true);
  auto zero = parse_frame(R"({"jsonrpc":"2.0","id":0,"result":{}})");
  EXPECT_EQ(zero.messages[0].id, 0);  // id 0 is a real id
  auto error = parse_frame(
      R"({"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"nope","data":{"a":1}}})");
  EXPECT_EQ(error.messages[0].kind, Kind::kErrorResponse);
  EXPECT_EQ(error.messages[0].error_code, kMethodNotFound);
  EXPECT_EQ(error.messages[0].error_data["a"], 1);
  auto batch =
      parse_frame(R"([{"jsonrpc":"2.0","id":1,"result":{}},{"jsonrpc":"2.0","method":"m"}])");
  EXPECT_TRUE(batch.batch);
  EXPECT_EQ(batch.messages.size(), 2u);
}

TEST(JsonRpc, RejectsWhatIsNotJsonRpcWithoutQuotingIt) {
  struct Case {
    const char* text;
    FrameErrorType type;
  } cases[] = {
      {"MCP server listening on http://localhost sk-QUOTED", FrameErrorType::kMalformedJson},
      {"{bad sk-QUOTED", FrameErrorType::kMalformedJson},
      {R"({"level":"info","msg":"sk-QUOTED"})", FrameErrorType::kNotJsonRpc},
      {R"({"jsonrpc":"2.0","id":1})", FrameErrorType::kNotJsonRpc},
      {R"({"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1}})", FrameErrorType::kNotJsonRpc},
      {R"({"jsonrpc":"2.0","id":{"x":1},"method":"m"})", FrameErrorType::kNotJsonRpc},
      {R"({"jsonrpc":"2.0","id":1,"error":{"message":"no code"}})", FrameErrorType::kNotJsonRpc},
      {"[]", FrameErrorType::kNotJsonRpc},
      {R"({"jsonrpc":"2.0","id":1,"result":1e999})", FrameErrorType::kMalformedJson},
  };
  for (const auto& c : cases) {
    auto frame = parse_frame(c.text);
    ASSERT_TRUE(frame.error) << c.text;
    EXPECT_EQ(frame.error->type, c.type) << c.text << ": " << frame.error->reason;
    EXPECT_EQ(frame.error->reason.find("QUOTED"), std::string::npos) << frame.error->reason;
  }
}

TEST(JsonRpc, BoundsSizeAndNesting) {
  std::string big = R"({"jsonrpc":"2.0","id":1,"result":")" + std::string(2000, 'x') + "\"}";
  EXPECT_EQ(parse_frame(big, 1000).error->type, FrameErrorType::kOversized);
  std::string deep = std::string(10000, '[') + std::string(10000, ']');
  EXPECT_EQ(parse_frame(deep).error->type, FrameErrorType::kTooDeep);
  std::string in_string = R"({"jsonrpc":"2.0","id":1,"result":")" + std::string(500, '[') + "\"}";
  EXPECT_FALSE(parse_frame(in_string).error);
}

TEST(JsonRpc, SerializesToOneLineThatRoundTrips) {
  Json request =
      make_request(3, "tools/call", {{"name", "echo"}, {"arguments", {{"text", "a\nb \"c\""}}}});
  std::string line = serialize(request);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto frame = parse_frame(line);
  ASSERT_FALSE(frame.error);
  EXPECT_EQ(frame.messages[0].params["arguments"]["text"], "a\nb \"c\"");
  EXPECT_EQ(serialize(to_json(frame.messages[0])), line);
  EXPECT_EQ(serialize(make_error(nullptr, kParseError, "Parse error")),
            R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}})");
}

TEST(LineFramer, SplitsAcrossChunksAndBoundsLongLines) {
  LineFramer framer(16);
  std::vector<LineFramer::Event> events;
  for (char c : std::string("ab\r\ncd\n")) framer.feed(std::string_view(&c, 1), events);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].line, "ab");
  EXPECT_EQ(events[1].line, "cd");
  events.clear();
  framer.feed(std::string(10, 'x'), events);
  framer.feed(std::string(10, 'y'), events);  // over the bound: reported, then discarded
  framer.feed(std::string(1000, 'z'), events);
  EXPECT_LE(framer.buffered(), 16u);
  framer.feed("zz\nok\n", events);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].oversized);
  EXPECT_EQ(events[1].line, "ok");
  framer.feed("tail", events);
  auto last = framer.finish();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->line, "tail");
}

}  // namespace
}  // namespace omk::mcp::jsonrpc
