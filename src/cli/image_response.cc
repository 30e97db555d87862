#include "cli/image_response.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace omk::cli {
namespace {

constexpr size_t kMaxMessageBytes = 800;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool contains_any(const std::string& text, std::initializer_list<const char*> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](const char* word) { return text.find(word) != std::string::npos; });
}

std::string remove_literal(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "[REDACTED]");
  }
  return text;
}

// Cuts at a UTF-8 character boundary.
std::string cut(std::string text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text + "...";
}

std::optional<long> parse_seconds(const std::string& text, long divisor) {
  long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || value < 0) return std::nullopt;
  if (end != text.data() + text.size() && *end != '.') return std::nullopt;
  return (value + divisor - 1) / divisor;
}

std::optional<long> retry_after(const std::map<std::string, std::string>& headers) {
  if (auto it = headers.find("retry-after-ms"); it != headers.end()) {
    if (auto seconds = parse_seconds(it->second, 1000)) return seconds;
  }
  if (auto it = headers.find("retry-after"); it != headers.end()) {
    return parse_seconds(it->second, 1);  // an HTTP-date is not worth parsing here
  }
  return std::nullopt;
}

// "message (code, type)" from {"error": {...}}, or the raw body.
std::string error_text(const std::string& body) {
  Json document = Json::parse(body, nullptr, false);
  if (!document.is_discarded() && document.is_object()) {
    const Json& error = document.contains("error") ? document["error"] : document;
    if (error.is_string()) return error.get<std::string>();
    if (error.is_object()) {
      std::string text;
      if (error.contains("message") && error["message"].is_string()) {
        text = error["message"].get<std::string>();
      }
      std::vector<std::string> extra;
      for (const char* field : {"code", "type"}) {
        if (error.contains(field) && error[field].is_string()) {
          extra.push_back(error[field].get<std::string>());
        }
      }
      if (!extra.empty()) text += fmt::format(" ({})", fmt::join(extra, ", "));
      if (!text.empty()) return text;
    }
  }
  return body;
}

ImageResult failure(ImageErrorCategory category, long status, std::string message,
                    const std::string& key) {
  ImageResult result;
  result.error =
      ImageError{category, status, cut(remove_literal(std::move(message), key), kMaxMessageBytes),
                 std::nullopt};
  return result;
}

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  static const std::array<int, 256> table = [] {
    std::array<int, 256> t{};
    t.fill(-1);
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = i;
    return t;
  }();
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value = table[static_cast<unsigned char>(c)];
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::optional<std::string> image_mime_type(std::string_view bytes) {
  if (bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return "image/png";
  if (bytes.substr(0, 3) == std::string_view("\xFF\xD8\xFF", 3)) return "image/jpeg";
  if (bytes.size() >= 12 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP") {
    return "image/webp";
  }
  return std::nullopt;
}

std::string image_extension(const std::string& mime_type) {
  if (mime_type == "image/jpeg") return "jpg";
  if (mime_type == "image/webp") return "webp";
  return "png";
}

ImageErrorCategory categorise_image_error(long status, std::string_view error_text) {
  std::string text = lower(error_text);
  if (contains_any(text, {"content_policy", "content policy", "moderation", "safety system",
                          "safety_violation"})) {
    return ImageErrorCategory::kContentPolicy;
  }
  bool quota = contains_any(text, {"billing", "insufficient_quota", "quota"});
  if (status == 401) return ImageErrorCategory::kAuth;
  if (status == 403) return ImageErrorCategory::kPermission;
  if (status == 402 || quota) return ImageErrorCategory::kBilling;
  if (status == 429) return ImageErrorCategory::kRateLimit;
  if (status >= 500) return ImageErrorCategory::kServer;
  return ImageErrorCategory::kBadRequest;
}

ImageResult parse_images_response(long status, const std::string& body,
                                  const std::map<std::string, std::string>& headers,
                                  const std::string& key) {
  if (status < 200 || status >= 300) {
    std::string text = error_text(body);
    ImageResult result = failure(categorise_image_error(status, text), status, text, key);
    result.error->retry_after_seconds = retry_after(headers);
    return result;
  }
  Json document = Json::parse(body, nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("data") ||
      !document["data"].is_array() || document["data"].empty()) {
    return failure(ImageErrorCategory::kBadResponse, status,
                   "the answer is not an Images API result (no data array)", key);
  }
  ImageResult result;
  size_t index = 0;
  for (const Json& item : document["data"]) {
    ++index;
    if (!item.is_object() || !item.contains("b64_json") || !item["b64_json"].is_string()) {
      // A URL result would have to be fetched from wherever the answer points: omk does not.
      return failure(ImageErrorCategory::kBadResponse, status,
                     fmt::format("image {} has no base64 data (b64_json); URL results are not "
                                 "fetched",
                                 index),
                     key);
    }
    std::optional<std::string> bytes = decode_base64(item["b64_json"].get<std::string>());
    if (!bytes || !image_mime_type(*bytes)) {
      return failure(ImageErrorCategory::kBadResponse, status,
                     fmt::format("image {} is not a base64 PNG, JPEG or WebP image", index), key);
    }
    result.images.push_back(std::move(*bytes));
    if (item.contains("revised_prompt") && item["revised_prompt"].is_string()) {
      result.revised_prompts.push_back(item["revised_prompt"].get<std::string>());
    }
  }
  if (document.contains("created") && document["created"].is_number_integer()) {
    result.created = document["created"].get<long>();
  }
  if (document.contains("usage") && document["usage"].is_object()) {
    result.usage = document["usage"];
  }
  return result;
}

}  // namespace omk::cli
