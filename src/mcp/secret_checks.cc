#include "mcp/secret_checks.h"

#include <fmt/format.h>

#include "mcp/server_config.h"
#include "mcp/url.h"

namespace omk::mcp {

std::vector<SecretFinding> literal_secrets(const std::string& /*server_name*/, const Json& entry) {
  std::vector<SecretFinding> findings;
  if (!entry.is_object()) return findings;
  auto url = entry.find("url");
  if (url != entry.end() && url->is_string()) {
    if (auto parts = parse_url(url->get<std::string>()); parts && parts->has_credentials) {
      findings.push_back({"url credentials", "url-userinfo"});
    }
  }
  return findings;
}

}  // namespace omk::mcp
