#include "providers/settings_file.h"

#include <fstream>
#include <sstream>

namespace omk::providers {

std::optional<Json> read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  Json document = Json::parse(text.str(), nullptr, false, true);
  if (document.is_discarded() || !document.is_object()) return std::nullopt;
  return document;
}

std::string json_path_string(const Json& document, const std::string& dotted) {
  const Json* node = &document;
  size_t start = 0;
  while (start <= dotted.size()) {
    size_t dot = dotted.find('.', start);
    if (dot == std::string::npos) dot = dotted.size();
    std::string key = dotted.substr(start, dot - start);
    if (!node->is_object() || !node->contains(key)) return "";
    node = &(*node)[key];
    start = dot + 1;
  }
  return node->is_string() ? node->get<std::string>() : "";
}

}  // namespace omk::providers
