#pragma once

#include <string>
#include <utility>
#include <vector>

#include "script.h"

namespace omk::model_server {

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  int delay_ms = 0;
  // For the request log.
  std::string kind;  // "call", "text", "aux", "structured", "error"
  long step_index = -1;
};

// What the script says to answer, independent of the wire format.
struct Decision {
  enum class Kind { kCall, kText, kAux, kStructured, kError } kind = Kind::kText;
  ToolCall call;
  std::string text;
  Json structured;
  int status = 200;
  std::optional<int> retry_after;
  std::string message;
  long step_index = -1;
  int delay_ms = 0;
};

// `response_schema`: a JSON Schema the client demands for structured output, or null.
Decision decide(const Script& script, const std::vector<ToolSpec>& tools, size_t tool_results,
                const Json& response_schema);

std::string sse_event(const std::string& event, const Json& data);  // "event: E\ndata: J\n\n"
std::string sse_data(const Json& data);                             // "data: J\n\n"
std::string new_id(const std::string& prefix);

// One function per wire protocol. `body` is the parsed request body.
Reply answer_chat_completions(const Json& body, const Script& script);
Reply answer_responses(const Json& body, const Script& script);
Reply answer_anthropic_messages(const Json& body, const Script& script);
Reply answer_gemini(const Json& body, const Script& script, const std::string& model, bool stream);

}  // namespace omk::model_server
