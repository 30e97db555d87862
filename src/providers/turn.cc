#include "providers/turn.h"

namespace omk::providers {

std::string_view to_string(Execution execution) {
  switch (execution) {
    case Execution::kAsk:
      return "ask";
    case Execution::kAuto:
      return "auto";
    case Execution::kNever:
      return "never";
  }
  return "ask";
}

std::optional<Execution> parse_execution(std::string_view text) {
  if (text == "ask") return Execution::kAsk;
  if (text == "auto") return Execution::kAuto;
  if (text == "never") return Execution::kNever;
  return std::nullopt;
}

std::string_view to_string(TurnEvent::Kind kind) {
  switch (kind) {
    case TurnEvent::Kind::kText:
      return "text";
    case TurnEvent::Kind::kCommand:
      return "command";
    case TurnEvent::Kind::kFileChange:
      return "file_change";
    case TurnEvent::Kind::kTool:
      return "tool";
    case TurnEvent::Kind::kError:
      return "error";
  }
  return "text";
}

Json to_json(const TurnEvent& event) {
  Json json = Json::object();
  json["kind"] = std::string(to_string(event.kind));
  if (!event.text.empty()) json["text"] = event.text;
  if (!event.command.empty()) json["command"] = event.command;
  if (event.exit_code) json["exit_code"] = *event.exit_code;
  if (!event.path.empty()) json["path"] = event.path;
  if (!event.tool.empty()) json["tool"] = event.tool;
  return json;
}

Json to_json(const TurnResult& result) {
  Json json = Json::object();
  json["provider"] = result.provider;
  json["model"] = result.model;
  json["success"] = result.success;
  json["exit_code"] = result.exit_code;
  json["failure"] = result.failure == FailureCategory::kNone
                        ? Json(nullptr)
                        : Json(std::string(to_string(result.failure)));
  if (!result.message.empty()) json["message"] = result.message;
  json["final_message"] = result.final_message;
  Json events = Json::array();
  for (const TurnEvent& event : result.events) events.push_back(to_json(event));
  json["events"] = events;
  json["files_changed"] = result.files_changed;
  json["usage"] = {{"input_tokens", result.usage.input},
                   {"output_tokens", result.usage.output},
                   {"total_tokens", result.usage.total()}};
  if (result.retry_after_s) json["retry_after_s"] = *result.retry_after_s;
  json["duration_ms"] = result.duration_ms;
  json["sandbox"] = result.sandbox.is_null() ? Json::object() : result.sandbox;
  json["notes"] = result.notes;
  return json;
}

}  // namespace omk::providers
