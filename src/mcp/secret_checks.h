#pragma once

#include <string>
#include <vector>

#include "core/json_output.h"

namespace omk::mcp {

// A literal secret in a server entry. `where` names the place ("env API_TOKEN",
// "header Authorization", "url credentials", "args[3]"); the value is never kept.
struct SecretFinding {
  std::string where;
  std::string rule;
};

// Literal secrets in one server entry (the common JSON shape): env and header values that are
// not "${NAME}" references and that the safety layer's scanner says are secrets, URLs with
// credentials or secret query values, and secret arguments.
std::vector<SecretFinding> literal_secrets(const std::string& server_name, const Json& entry);

}  // namespace omk::mcp
