#include <atomic>

#include "wire.h"

namespace omk::model_server {

Decision decide(const Script& script, const std::vector<ToolSpec>& tools, size_t tool_results,
                const Json& response_schema) {
  Decision decision;
  if (!response_schema.is_null()) {
    decision.kind = Decision::Kind::kStructured;
    decision.structured = schema_stub(response_schema);
    return decision;
  }
  const Step& step = step_for(script, tool_results);
  decision.step_index = static_cast<long>(std::min(tool_results, script.steps.size() - 1));
  decision.delay_ms = step.delay_ms;
  if (step.error_status) {
    decision.kind = Decision::Kind::kError;
    decision.status = *step.error_status;
    decision.retry_after = step.retry_after;
    decision.message = step.error_message;
    return decision;
  }
  if (tools.empty() && !step.text) {
    // Title generation and similar side requests offer no tools: answer them with text and
    // leave the script where it is.
    decision.kind = Decision::Kind::kAux;
    decision.text = script.aux_text;
    return decision;
  }
  if (auto call = resolve_call(step, tools)) {
    decision.kind = Decision::Kind::kCall;
    decision.call = *call;
    return decision;
  }
  decision.kind = Decision::Kind::kText;
  decision.text = step.text.value_or(script.aux_text);
  return decision;
}

std::string sse_event(const std::string& event, const Json& data) {
  return "event: " + event + "\ndata: " + data.dump() + "\n\n";
}

std::string sse_data(const Json& data) {
  return "data: " + data.dump() + "\n\n";
}

std::string new_id(const std::string& prefix) {
  static std::atomic<long> counter{0};
  return prefix + std::to_string(++counter);
}

}  // namespace omk::model_server
