#include "mcp/jsonrpc.h"

#include <fmt/format.h>

#include "mcp/diagnostic.h"

namespace omk::mcp::jsonrpc {
namespace {

// Nesting depth outside strings, without parsing; stops counting once over the limit.
bool nested_too_deep(std::string_view text) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNesting) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

bool valid_id(const Json& id) {
  return id.is_string() || id.is_number_integer();
}

}  // namespace

std::optional<Message> to_message(const Json& value, std::string& problem) {
  if (!value.is_object()) {
    problem = "a JSON-RPC message must be an object";
    return std::nullopt;
  }
  auto version = value.find("jsonrpc");
  if (version == value.end() || *version != "2.0") {
    problem = "\"jsonrpc\" is not \"2.0\"";
    return std::nullopt;
  }
  Message message;
  auto method = value.find("method");
  auto id = value.find("id");
  bool has_id = id != value.end();
  if (method != value.end()) {
    if (!method->is_string()) {
      problem = "\"method\" is not a string";
      return std::nullopt;
    }
    message.method = method->get<std::string>();
    auto params = value.find("params");
    if (params != value.end()) {
      if (!params->is_object() && !params->is_array()) {
        problem = "\"params\" is neither an object nor an array";
        return std::nullopt;
      }
      message.params = *params;
    }
    if (has_id) {
      if (!valid_id(*id)) {
        problem = "a request \"id\" must be a string or an integer";
        return std::nullopt;
      }
      message.kind = Kind::kRequest;
      message.id = *id;
    } else {
      message.kind = Kind::kNotification;
    }
    return message;
  }
  if (!has_id) {
    problem = "neither \"method\" nor \"id\"";
    return std::nullopt;
  }
  // An error response may carry a null id (the request could not be read).
  if (!valid_id(*id) && !id->is_null()) {
    problem = "a response \"id\" must be a string or an integer";
    return std::nullopt;
  }
  message.id = *id;
  auto result = value.find("result");
  auto error = value.find("error");
  if ((result != value.end()) == (error != value.end())) {
    problem = "a response needs exactly one of \"result\" and \"error\"";
    return std::nullopt;
  }
  if (result != value.end()) {
    if (id->is_null()) {
      problem = "a result needs a request id";
      return std::nullopt;
    }
    message.kind = Kind::kResponse;
    message.result = *result;
    return message;
  }
  if (!error->is_object() || !error->contains("code") || !(*error)["code"].is_number_integer()) {
    problem = "\"error\" needs an integer \"code\"";
    return std::nullopt;
  }
  message.kind = Kind::kErrorResponse;
  message.error_code = (*error)["code"].get<int64_t>();
  auto text = error->find("message");
  if (text != error->end() && text->is_string()) message.error_message = text->get<std::string>();
  if (auto data = error->find("data"); data != error->end()) message.error_data = *data;
  return message;
}

ParsedFrame parse_frame(std::string_view text, size_t max_bytes) {
  ParsedFrame frame;
  if (text.size() > max_bytes) {
    frame.error = FrameError{
        FrameErrorType::kOversized,
        fmt::format("message of {} bytes exceeds the {} byte limit", text.size(), max_bytes)};
    return frame;
  }
  if (nested_too_deep(text)) {
    frame.error = FrameError{FrameErrorType::kTooDeep,
                             fmt::format("message nests deeper than {} levels", kMaxNesting)};
    return frame;
  }
  std::string where;
  auto parsed = parse_json_quietly(text, where);
  if (!parsed) {
    frame.error = FrameError{FrameErrorType::kMalformedJson, "not JSON (" + where + ")"};
    return frame;
  }
  Json value = std::move(*parsed);
  std::string problem;
  if (value.is_array()) {
    frame.batch = true;
    if (value.empty()) {
      frame.error = FrameError{FrameErrorType::kNotJsonRpc, "empty batch"};
      return frame;
    }
    for (const Json& item : value) {
      auto message = to_message(item, problem);
      if (!message) {
        frame.messages.clear();
        frame.error = FrameError{FrameErrorType::kNotJsonRpc, problem};
        return frame;
      }
      frame.messages.push_back(std::move(*message));
    }
    return frame;
  }
  auto message = to_message(value, problem);
  if (!message) {
    frame.error = FrameError{FrameErrorType::kNotJsonRpc, problem};
    return frame;
  }
  frame.messages.push_back(std::move(*message));
  return frame;
}

Json make_request(const Json& id, std::string_view method, Json params) {
  Json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  return message;
}

Json make_notification(std::string_view method, Json params) {
  Json message = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  return message;
}

Json make_result(const Json& id, Json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

Json make_error(const Json& id, int64_t code, std::string_view message, Json data) {
  Json error = {{"code", code}, {"message", message}};
  if (!data.is_null()) error["data"] = std::move(data);
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
}

Json to_json(const Message& message) {
  switch (message.kind) {
    case Kind::kRequest:
      return make_request(message.id, message.method, message.params);
    case Kind::kNotification:
      return make_notification(message.method, message.params);
    case Kind::kResponse:
      return make_result(message.id, message.result);
    case Kind::kErrorResponse:
      return make_error(message.id, message.error_code, message.error_message, message.error_data);
  }
  return nullptr;
}

std::string serialize(const Json& message) {
  return message.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void LineFramer::feed(std::string_view data, std::vector<Event>& out) {
  while (!data.empty()) {
    size_t newline = data.find('\n');
    std::string_view piece = data.substr(0, newline);
    if (discarding_) {
      if (newline == std::string_view::npos) return;
      discarding_ = false;
      data.remove_prefix(newline + 1);
      continue;
    }
    if (buffer_.size() + piece.size() > max_) {
      out.push_back({true, {}});
      buffer_.clear();
      if (newline == std::string_view::npos) {
        discarding_ = true;
        return;
      }
      data.remove_prefix(newline + 1);
      continue;
    }
    buffer_.append(piece);
    if (newline == std::string_view::npos) return;
    if (!buffer_.empty() && buffer_.back() == '\r') buffer_.pop_back();
    out.push_back({false, std::move(buffer_)});
    buffer_.clear();
    data.remove_prefix(newline + 1);
  }
}

std::optional<LineFramer::Event> LineFramer::finish() {
  if (discarding_ || buffer_.empty()) {
    discarding_ = false;
    buffer_.clear();
    return std::nullopt;
  }
  Event event{false, std::move(buffer_)};
  buffer_.clear();
  return event;
}

}  // namespace omk::mcp::jsonrpc
