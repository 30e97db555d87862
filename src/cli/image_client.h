#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/image_credentials.h"
#include "core/environment.h"
#include "core/json_output.h"

namespace omk::cli {

// A small client for the OpenAI Images API (POST /images/generations with a JSON body,
// POST /images/edits with multipart/form-data), over libcurl. The prompt travels in the request
// body only; the key only in the Authorization header.

inline constexpr const char* kDefaultImagesBaseUrl = "https://api.openai.com/v1";
inline constexpr const char* kDefaultImageModel = "gpt-image-1";

// Where requests go: OPENAI_BASE_URL (for compatible gateways and tests) or the public API.
// Throws UserError (exit 2) for a URL that is not http(s), or that would send the key in clear
// text to a host other than this machine (http:// is accepted for loopback only).
std::string images_base_url(const EnvMap& env);

struct ImageFile {
  std::string path;  // shown in messages; the request carries only its base name
  std::string bytes;
  std::string mime_type;  // image/png, image/jpeg or image/webp
};

struct ImageRequest {
  enum class Operation { kGenerate, kEdit } operation = Operation::kGenerate;
  std::string model = kDefaultImageModel;
  std::string prompt;
  std::optional<std::string> size;  // "WxH" or "auto"; omitted when unset
  std::optional<int> n;             // omitted when unset (the API's default is 1)
  std::optional<ImageFile> image;   // edit only
  std::optional<ImageFile> mask;    // edit only, optional
  long timeout_seconds = 120;
};

// Why a call failed, in categories a user (and a script reading --json) can act on.
enum class ImageErrorCategory {
  kAuth,           // 401: key rejected
  kPermission,     // 403: the project or organisation may not use this model
  kRateLimit,      // 429 without a quota reason; see retry_after_seconds
  kBilling,        // 402, or a quota/billing reason
  kContentPolicy,  // the prompt or image was refused by moderation
  kBadRequest,     // other 4xx
  kServer,         // 5xx
  kNetwork,        // no HTTP answer
  kTimeout,        // no complete answer within the timeout
  kBadResponse,    // 2xx whose body holds no usable image
};

const char* to_string(ImageErrorCategory category);

struct ImageError {
  ImageErrorCategory category = ImageErrorCategory::kBadResponse;
  long status = 0;      // HTTP status; 0 when there was none
  std::string message;  // from the API (cut to 800 bytes) or from libcurl; redacted when printed
  std::optional<long> retry_after_seconds;
};

struct ImageResult {
  std::vector<std::string> images;  // decoded image bytes, in the API's order
  std::vector<std::string> revised_prompts;
  std::optional<long> created;
  Json usage;                       // the API's usage object, or null
  std::optional<ImageError> error;  // set when the call failed; then images is empty
};

// One request, no retries. Never throws for API or network failures: they come back in
// ImageResult::error.
ImageResult call_images_api(const std::string& base_url, const ImageApiKey& key,
                            const ImageRequest& request);

}  // namespace omk::cli
