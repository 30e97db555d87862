// OpenAI Chat Completions (qwen, opencode, API adapters) and Responses (codex).
#include "wire.h"

namespace omk::model_server {
namespace {

Reply openai_error(const Decision& decision) {
  Reply reply;
  reply.status = decision.status;
  reply.kind = "error";
  reply.step_index = decision.step_index;
  reply.delay_ms = decision.delay_ms;
  std::string type = decision.status == 429   ? "rate_limit_exceeded"
                     : decision.status == 401 ? "invalid_api_key"
                                              : "server_error";
  reply.body =
      Json{{"error", {{"message", decision.message}, {"type", type}, {"code", type}}}}.dump();
  if (decision.retry_after) {
    reply.headers.emplace_back("Retry-After", std::to_string(*decision.retry_after));
  }
  return reply;
}

std::vector<ToolSpec> chat_tools(const Json& body) {
  std::vector<ToolSpec> tools;
  for (const Json& tool : body.value("tools", Json::array())) {
    if (tool.contains("function")) {
      tools.push_back({tool["function"].value("name", ""),
                       tool["function"].value("parameters", Json(nullptr)), false});
    }
  }
  return tools;
}

size_t chat_tool_results(const Json& body) {
  size_t count = 0;
  for (const Json& message : body.value("messages", Json::array())) {
    if (message.value("role", "") == "tool") ++count;
  }
  return count;
}

Json chat_response_schema(const Json& body) {
  if (body.contains("response_format") && body["response_format"].is_object() &&
      body["response_format"].value("type", "") == "json_schema") {
    return body["response_format"]["json_schema"].value("schema", Json::object());
  }
  return nullptr;
}

Json chunk(const std::string& id, const std::string& model, const Json& delta, const Json& finish) {
  return {{"id", id},
          {"object", "chat.completion.chunk"},
          {"created", 0},
          {"model", model},
          {"choices", Json::array({{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}})}};
}

}  // namespace

Reply answer_chat_completions(const Json& body, const Script& script) {
  Decision decision =
      decide(script, chat_tools(body), chat_tool_results(body), chat_response_schema(body));
  if (decision.kind == Decision::Kind::kError) return openai_error(decision);
  std::string model = body.value("model", "fake-model");
  std::string id = new_id("chatcmpl_");
  Json usage = {{"prompt_tokens", 10}, {"completion_tokens", 5}, {"total_tokens", 15}};

  Json message = {{"role", "assistant"}};
  std::string finish = "stop";
  if (decision.kind == Decision::Kind::kCall) {
    message["content"] = nullptr;
    message["tool_calls"] = Json::array(
        {{{"id", new_id("call_")},
          {"type", "function"},
          {"function",
           {{"name", decision.call.name}, {"arguments", decision.call.arguments.dump()}}}}});
    finish = "tool_calls";
  } else if (decision.kind == Decision::Kind::kStructured) {
    message["content"] = decision.structured.dump();
  } else {
    message["content"] = decision.text;
  }

  Reply reply;
  reply.kind = decision.kind == Decision::Kind::kCall ? "call" : "text";
  reply.step_index = decision.step_index;
  reply.delay_ms = decision.delay_ms;
  if (!body.value("stream", false)) {
    reply.body = Json{
        {"id", id},
        {"object", "chat.completion"},
        {"created", 0},
        {"model", model},
        {"choices", Json::array({{{"index", 0}, {"message", message}, {"finish_reason", finish}}})},
        {"usage",
         usage}}.dump();
    return reply;
  }
  reply.content_type = "text/event-stream";
  if (decision.kind == Decision::Kind::kCall) {
    Json call = message["tool_calls"][0];
    call["index"] = 0;
    std::string arguments = call["function"]["arguments"];
    call["function"]["arguments"] = "";
    reply.body += sse_data(
        chunk(id, model,
              {{"role", "assistant"}, {"content", nullptr}, {"tool_calls", Json::array({call})}},
              nullptr));
    reply.body += sse_data(chunk(
        id, model,
        {{"tool_calls", Json::array({{{"index", 0}, {"function", {{"arguments", arguments}}}}})}},
        nullptr));
  } else {
    reply.body += sse_data(chunk(id, model, {{"role", "assistant"}, {"content", ""}}, nullptr));
    reply.body += sse_data(chunk(id, model, {{"content", message["content"]}}, nullptr));
  }
  reply.body += sse_data(chunk(id, model, Json::object(), finish));
  Json usage_chunk = chunk(id, model, Json::object(), nullptr);
  usage_chunk["choices"] = Json::array();
  usage_chunk["usage"] = usage;
  reply.body += sse_data(usage_chunk);
  reply.body += "data: [DONE]\n\n";
  return reply;
}

namespace {

std::vector<ToolSpec> responses_tools(const Json& body) {
  std::vector<ToolSpec> tools;
  for (const Json& tool : body.value("tools", Json::array())) {
    std::string type = tool.value("type", "");
    if (type == "function") {
      tools.push_back({tool.value("name", ""), tool.value("parameters", Json(nullptr)), false});
    } else if (type == "custom") {
      tools.push_back({tool.value("name", ""), nullptr, true});
    }
  }
  return tools;
}

size_t responses_tool_results(const Json& body) {
  size_t count = 0;
  if (!body.contains("input") || !body["input"].is_array()) return 0;
  for (const Json& item : body["input"]) {
    std::string type = item.value("type", "");
    if (type == "function_call_output" || type == "custom_tool_call_output") ++count;
  }
  return count;
}

}  // namespace

Reply answer_responses(const Json& body, const Script& script) {
  Json schema = nullptr;
  if (body.contains("text") && body["text"].is_object() && body["text"].contains("format") &&
      body["text"]["format"].value("type", "") == "json_schema") {
    schema = body["text"]["format"].value("schema", Json::object());
  }
  Decision decision = decide(script, responses_tools(body), responses_tool_results(body), schema);
  if (decision.kind == Decision::Kind::kError) return openai_error(decision);

  Json item;
  if (decision.kind == Decision::Kind::kCall && decision.call.freeform) {
    item = {{"type", "custom_tool_call"},
            {"id", new_id("ctc_")},
            {"call_id", new_id("call_")},
            {"name", decision.call.name},
            {"input", decision.call.freeform_input},
            {"status", "completed"}};
  } else if (decision.kind == Decision::Kind::kCall) {
    item = {{"type", "function_call"},
            {"id", new_id("fc_")},
            {"call_id", new_id("call_")},
            {"name", decision.call.name},
            {"arguments", decision.call.arguments.dump()},
            {"status", "completed"}};
  } else {
    std::string text =
        decision.kind == Decision::Kind::kStructured ? decision.structured.dump() : decision.text;
    item = {
        {"type", "message"},
        {"id", new_id("msg_")},
        {"role", "assistant"},
        {"status", "completed"},
        {"content",
         Json::array({{{"type", "output_text"}, {"text", text}, {"annotations", Json::array()}}})}};
  }
  std::string id = new_id("resp_");
  std::string model = body.value("model", "fake-model");
  Json usage = {{"input_tokens", 10},
                {"input_tokens_details", {{"cached_tokens", 0}}},
                {"output_tokens", 5},
                {"output_tokens_details", {{"reasoning_tokens", 0}}},
                {"total_tokens", 15}};
  Json completed = {{"id", id},       {"object", "response"},  {"created_at", 0},
                    {"model", model}, {"status", "completed"}, {"output", Json::array({item})},
                    {"usage", usage}};

  Reply reply;
  reply.kind = decision.kind == Decision::Kind::kCall ? "call" : "text";
  reply.step_index = decision.step_index;
  reply.delay_ms = decision.delay_ms;
  if (!body.value("stream", false)) {
    reply.body = completed.dump();
    return reply;
  }
  reply.content_type = "text/event-stream";
  Json created = completed;
  created["status"] = "in_progress";
  created["output"] = Json::array();
  created.erase("usage");
  reply.body +=
      sse_event("response.created", {{"type", "response.created"}, {"response", created}});
  reply.body +=
      sse_event("response.output_item.added",
                {{"type", "response.output_item.added"}, {"output_index", 0}, {"item", item}});
  if (item["type"] == "message") {
    reply.body += sse_event("response.output_text.delta", {{"type", "response.output_text.delta"},
                                                           {"item_id", item["id"]},
                                                           {"output_index", 0},
                                                           {"content_index", 0},
                                                           {"delta", item["content"][0]["text"]}});
  }
  reply.body +=
      sse_event("response.output_item.done",
                {{"type", "response.output_item.done"}, {"output_index", 0}, {"item", item}});
  reply.body +=
      sse_event("response.completed", {{"type", "response.completed"}, {"response", completed}});
  return reply;
}

}  // namespace omk::model_server
