#include "providers/stream_claude.h"

#include "providers/jsonl.h"
#include "providers/tool_events.h"

namespace omk::providers {
namespace {

class ClaudeStreamParser final : public OutputParser {
 public:
  void feed(std::string_view chunk, const std::function<void(const TurnEvent&)>& emit) override {
    lines_.feed(chunk, [&](const Json& object) { handle(object, emit); });
  }

  void finish(TurnResult& result) override {
    lines_.finish([&](const Json& object) { handle(object, {}); });
    result.final_message = saw_result_ ? result_text_ : last_text_;
    result.usage = usage_;
    result.events = events_;
    if (saw_result_ && is_error_) {
      result.notes.push_back("the CLI reported an error result (" + subtype_ + ")");
      result.failure = FailureCategory::kError;
    }
    if (!saw_result_) result.notes.push_back("the CLI ended without its result event");
  }

 private:
  void handle(const Json& object, const std::function<void(const TurnEvent&)>& emit) {
    std::string type = json_string(object, "type");
    if (type == "assistant" && object.contains("message")) {
      const Json& content = object["message"].value("content", Json::array());
      if (!content.is_array()) return;
      for (const Json& block : content) {
        std::string kind = json_string(block, "type");
        if (kind == "text") {
          std::string text = json_string(block, "text");
          if (text.empty()) continue;
          last_text_ = text;
          if (emit) emit({TurnEvent::Kind::kText, text, "", std::nullopt, "", ""});
        } else if (kind == "tool_use") {
          TurnEvent event =
              tool_event(json_string(block, "name"), block.value("input", Json::object()));
          events_.push_back(event);
          if (emit) emit(event);
        }
      }
    } else if (type == "result") {
      saw_result_ = true;
      result_text_ = json_string(object, "result");
      subtype_ = json_string(object, "subtype");
      is_error_ = object.value("is_error", false) || subtype_.rfind("error", 0) == 0;
      const Json& usage = object.value("usage", Json::object());
      usage_.input = json_int(usage, "input_tokens") + json_int(usage, "cache_read_input_tokens") +
                     json_int(usage, "cache_creation_input_tokens");
      usage_.output = json_int(usage, "output_tokens");
    }
  }

  JsonLines lines_;
  std::vector<TurnEvent> events_;
  std::string last_text_;
  std::string result_text_;
  std::string subtype_;
  bool saw_result_ = false;
  bool is_error_ = false;
  TokenUsage usage_;
};

}  // namespace

std::unique_ptr<OutputParser> make_claude_stream_parser() {
  return std::make_unique<ClaudeStreamParser>();
}

}  // namespace omk::providers
