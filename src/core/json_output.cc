#include "core/json_output.h"

#include <string>

#include "core/output.h"

namespace omk {

Json json_envelope(std::string_view name) {
  Json document = Json::object();
  document["schema"] = "omk." + std::string(name) + ".v1";
  return document;
}

void print_json(const Json& document) {
  // Invalid UTF-8 from a child or a file must not abort the whole command.
  print_out(document.dump(2, ' ', false, Json::error_handler_t::replace) + "\n");
}

}  // namespace omk
