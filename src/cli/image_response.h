#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "cli/image_client.h"

namespace omk::cli {

// Reading an Images API answer, apart from the transport so it can be tested on its own.

// Strict standard base64 (RFC 4648, padding optional, no whitespace inside); nullopt when
// `text` is not base64.
std::optional<std::string> decode_base64(std::string_view text);

// "image/png", "image/jpeg" or "image/webp" from the file's magic bytes; nullopt otherwise.
std::optional<std::string> image_mime_type(std::string_view bytes);

// The file name extension for a mime type from image_mime_type ("png", "jpg", "webp").
std::string image_extension(const std::string& mime_type);

// The result of an HTTP answer. `headers` has lower-case names. `key` is removed from any
// message taken from the body (an API may echo what it was sent).
ImageResult parse_images_response(long status, const std::string& body,
                                  const std::map<std::string, std::string>& headers,
                                  const std::string& key);

// The category of an HTTP error answer from its status and the API's error text.
ImageErrorCategory categorise_image_error(long status, std::string_view error_text);

}  // namespace omk::cli
