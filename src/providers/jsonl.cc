#include "providers/jsonl.h"

namespace omk::providers {

void JsonLines::feed(std::string_view chunk, const std::function<void(const Json&)>& on_object) {
  while (!chunk.empty()) {
    size_t newline = chunk.find('\n');
    std::string_view part = chunk.substr(0, newline);
    if (!skipping_) {
      if (pending_.size() + part.size() > max_) {
        pending_.clear();
        skipping_ = true;
      } else {
        pending_.append(part);
      }
    }
    if (newline == std::string_view::npos) return;
    if (!skipping_) line(pending_, on_object);
    pending_.clear();
    skipping_ = false;
    chunk.remove_prefix(newline + 1);
  }
}

void JsonLines::finish(const std::function<void(const Json&)>& on_object) {
  if (!skipping_ && !pending_.empty()) line(pending_, on_object);
  pending_.clear();
  skipping_ = false;
}

void JsonLines::line(std::string_view text, const std::function<void(const Json&)>& on_object) {
  size_t start = text.find_first_not_of(" \t\r");
  if (start == std::string_view::npos || text[start] != '{') return;
  Json object = Json::parse(text.substr(start), nullptr, false);
  if (object.is_discarded() || !object.is_object()) return;
  on_object(object);
}

std::string json_string(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

int64_t json_int(const Json& object, const char* key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return 0;
  return it->get<int64_t>();
}

}  // namespace omk::providers
