#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace omk::mcp {

// A URL taken apart by libcurl's parser (never by hand).
struct UrlParts {
  std::string scheme;  // lower case
  std::string host;
  std::string port;              // empty when the scheme's default
  bool has_credentials = false;  // user:password@ (or only a user name)
  bool has_query = false;
  bool has_fragment = false;
};

std::optional<UrlParts> parse_url(std::string_view url);

// What may be shown of a server URL: scheme://host[:port]. Paths, queries, fragments and
// credentials can carry tokens and are never printed.
std::string url_origin(const UrlParts& parts);
std::optional<std::string> url_origin(std::string_view url);

// True for host names that mean this machine (Origin validation of the local server).
bool is_loopback_host(std::string_view host);

}  // namespace omk::mcp
