#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/json_output.h"

namespace omk::providers {

// Splits a child's stdout into lines across chunk boundaries and hands each complete line that
// parses as a JSON object to `on_object`. Lines longer than the bound are dropped whole (a
// command's huge output), never parsed half.
class JsonLines {
 public:
  explicit JsonLines(size_t max_line = 16 << 20) : max_(max_line) {}
  void feed(std::string_view chunk, const std::function<void(const Json&)>& on_object);
  void finish(const std::function<void(const Json&)>& on_object);

 private:
  void line(std::string_view text, const std::function<void(const Json&)>& on_object);
  size_t max_;
  std::string pending_;
  bool skipping_ = false;
};

// Small accessors for provider JSON, which may lack any field.
std::string json_string(const Json& object, const char* key);
int64_t json_int(const Json& object, const char* key);

}  // namespace omk::providers
