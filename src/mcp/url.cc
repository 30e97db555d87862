#include "mcp/url.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>

namespace omk::mcp {
namespace {

struct UrlDeleter {
  void operator()(CURLU* handle) const { curl_url_cleanup(handle); }
};

std::optional<std::string> part(CURLU* handle, CURLUPart which) {
  char* value = nullptr;
  if (curl_url_get(handle, which, &value, 0) != CURLUE_OK || value == nullptr) {
    return std::nullopt;
  }
  std::string text(value);
  curl_free(value);
  return text;
}

}  // namespace

std::optional<UrlParts> parse_url(std::string_view url) {
  std::unique_ptr<CURLU, UrlDeleter> handle(curl_url());
  if (!handle) return std::nullopt;
  std::string text(url);
  // No guessing of a scheme: "example.com/mcp" is not a URL here.
  if (curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME) !=
      CURLUE_OK) {
    return std::nullopt;
  }
  UrlParts parts;
  parts.scheme = part(handle.get(), CURLUPART_SCHEME).value_or("");
  std::transform(parts.scheme.begin(), parts.scheme.end(), parts.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  parts.host = part(handle.get(), CURLUPART_HOST).value_or("");
  parts.port = part(handle.get(), CURLUPART_PORT).value_or("");
  parts.has_credentials = part(handle.get(), CURLUPART_USER).has_value() ||
                          part(handle.get(), CURLUPART_PASSWORD).has_value();
  parts.has_query = part(handle.get(), CURLUPART_QUERY).has_value();
  parts.has_fragment = part(handle.get(), CURLUPART_FRAGMENT).has_value();
  if (parts.scheme.empty() || parts.host.empty()) return std::nullopt;
  return parts;
}

std::string url_origin(const UrlParts& parts) {
  std::string origin = parts.scheme + "://" + parts.host;
  if (!parts.port.empty()) origin += ":" + parts.port;
  return origin;
}

std::optional<std::string> url_origin(std::string_view url) {
  auto parts = parse_url(url);
  if (!parts) return std::nullopt;
  return url_origin(*parts);
}

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host == "::1";
}

}  // namespace omk::mcp
