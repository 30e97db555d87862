// Gemini generateContent / streamGenerateContent (gemini-cli).
#include "wire.h"

namespace omk::model_server {
namespace {

std::vector<ToolSpec> gemini_tools(const Json& body) {
  std::vector<ToolSpec> tools;
  for (const Json& group : body.value("tools", Json::array())) {
    for (const Json& fn : group.value("functionDeclarations", Json::array())) {
      Json schema = fn.contains("parametersJsonSchema") ? fn["parametersJsonSchema"]
                                                        : fn.value("parameters", Json(nullptr));
      tools.push_back({fn.value("name", ""), schema, false});
    }
  }
  return tools;
}

size_t gemini_tool_results(const Json& body) {
  size_t count = 0;
  for (const Json& content : body.value("contents", Json::array())) {
    for (const Json& part : content.value("parts", Json::array())) {
      if (part.contains("functionResponse")) ++count;
    }
  }
  return count;
}

Json gemini_response_schema(const Json& body) {
  if (!body.contains("generationConfig")) return nullptr;
  const Json& config = body["generationConfig"];
  if (config.contains("responseJsonSchema")) return config["responseJsonSchema"];
  if (config.contains("responseSchema")) return config["responseSchema"];
  return nullptr;
}

}  // namespace

Reply answer_gemini(const Json& body, const Script& script, const std::string& model, bool stream) {
  Decision decision =
      decide(script, gemini_tools(body), gemini_tool_results(body), gemini_response_schema(body));
  Reply reply;
  reply.step_index = decision.step_index;
  reply.delay_ms = decision.delay_ms;
  if (decision.kind == Decision::Kind::kError) {
    reply.status = decision.status;
    reply.kind = "error";
    std::string status = decision.status == 429   ? "RESOURCE_EXHAUSTED"
                         : decision.status == 401 ? "UNAUTHENTICATED"
                                                  : "INTERNAL";
    reply.body =
        Json{{"error",
              {{"code", decision.status}, {"message", decision.message}, {"status", status}}}}
            .dump();
    if (decision.retry_after) {
      reply.headers.emplace_back("Retry-After", std::to_string(*decision.retry_after));
    }
    return reply;
  }
  Json part;
  if (decision.kind == Decision::Kind::kCall) {
    part = {{"functionCall", {{"name", decision.call.name}, {"args", decision.call.arguments}}}};
    reply.kind = "call";
  } else if (decision.kind == Decision::Kind::kStructured) {
    part = {{"text", decision.structured.dump()}};
    reply.kind = "structured";
  } else {
    part = {{"text", decision.text}};
    reply.kind = "text";
  }
  Json response = {
      {"candidates", Json::array({{{"content", {{"role", "model"}, {"parts", Json::array({part})}}},
                                   {"finishReason", "STOP"},
                                   {"index", 0}}})},
      {"usageMetadata",
       {{"promptTokenCount", 10}, {"candidatesTokenCount", 5}, {"totalTokenCount", 15}}},
      {"modelVersion", model}};
  if (stream) {
    reply.content_type = "text/event-stream";
    reply.body = sse_data(response);
  } else {
    reply.body = response.dump();
  }
  return reply;
}

}  // namespace omk::model_server
