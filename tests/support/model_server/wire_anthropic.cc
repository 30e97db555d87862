// Anthropic Messages (claude-code, Anthropic API adapters).
#include "wire.h"

namespace omk::model_server {
namespace {

std::vector<ToolSpec> anthropic_tools(const Json& body) {
  std::vector<ToolSpec> tools;
  for (const Json& tool : body.value("tools", Json::array())) {
    tools.push_back({tool.value("name", ""), tool.value("input_schema", Json(nullptr)), false});
  }
  return tools;
}

size_t anthropic_tool_results(const Json& body) {
  size_t count = 0;
  for (const Json& message : body.value("messages", Json::array())) {
    if (!message.contains("content") || !message["content"].is_array()) continue;
    for (const Json& block : message["content"]) {
      if (block.value("type", "") == "tool_result") ++count;
    }
  }
  return count;
}

}  // namespace

Reply answer_anthropic_messages(const Json& body, const Script& script) {
  Decision decision =
      decide(script, anthropic_tools(body), anthropic_tool_results(body), Json(nullptr));
  Reply reply;
  reply.step_index = decision.step_index;
  reply.delay_ms = decision.delay_ms;
  if (decision.kind == Decision::Kind::kError) {
    reply.status = decision.status;
    reply.kind = "error";
    std::string type = decision.status == 429   ? "rate_limit_error"
                       : decision.status == 401 ? "authentication_error"
                                                : "api_error";
    reply.body =
        Json{{"type", "error"}, {"error", {{"type", type}, {"message", decision.message}}}}.dump();
    if (decision.retry_after) {
      reply.headers.emplace_back("retry-after", std::to_string(*decision.retry_after));
    }
    return reply;
  }

  std::string model = body.value("model", "fake-model");
  std::string id = new_id("msg_");
  Json block;
  Json delta;
  std::string stop_reason = "end_turn";
  if (decision.kind == Decision::Kind::kCall) {
    block = {{"type", "tool_use"},
             {"id", new_id("toolu_")},
             {"name", decision.call.name},
             {"input", Json::object()}};
    delta = {{"type", "input_json_delta"}, {"partial_json", decision.call.arguments.dump()}};
    stop_reason = "tool_use";
    reply.kind = "call";
  } else {
    block = {{"type", "text"}, {"text", ""}};
    delta = {{"type", "text_delta"}, {"text", decision.text}};
    reply.kind = "text";
  }
  Json usage = {{"input_tokens", 10},
                {"output_tokens", 5},
                {"cache_creation_input_tokens", 0},
                {"cache_read_input_tokens", 0}};

  if (!body.value("stream", false)) {
    Json full_block = block;
    if (decision.kind == Decision::Kind::kCall) {
      full_block["input"] = decision.call.arguments;
    } else {
      full_block["text"] = decision.text;
    }
    reply.body = Json{
        {"id", id},
        {"type", "message"},
        {"role", "assistant"},
        {"model", model},
        {"content", Json::array({full_block})},
        {"stop_reason", stop_reason},
        {"stop_sequence", nullptr},
        {"usage",
         usage}}.dump();
    return reply;
  }
  reply.content_type = "text/event-stream";
  reply.body += sse_event("message_start", {{"type", "message_start"},
                                            {"message",
                                             {{"id", id},
                                              {"type", "message"},
                                              {"role", "assistant"},
                                              {"model", model},
                                              {"content", Json::array()},
                                              {"stop_reason", nullptr},
                                              {"stop_sequence", nullptr},
                                              {"usage", usage}}}});
  reply.body +=
      sse_event("content_block_start",
                {{"type", "content_block_start"}, {"index", 0}, {"content_block", block}});
  reply.body += sse_event("content_block_delta",
                          {{"type", "content_block_delta"}, {"index", 0}, {"delta", delta}});
  reply.body += sse_event("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}});
  reply.body += sse_event("message_delta",
                          {{"type", "message_delta"},
                           {"delta", {{"stop_reason", stop_reason}, {"stop_sequence", nullptr}}},
                           {"usage", {{"output_tokens", 5}}}});
  reply.body += sse_event("message_stop", {{"type", "message_stop"}});
  return reply;
}

}  // namespace omk::model_server
