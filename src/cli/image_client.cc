#include "cli/image_client.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <memory>

#include "cli/image_response.h"
#include "core/error.h"

namespace omk::cli {
namespace {

constexpr size_t kMaxAnswerBytes = 256u << 20;  // n=10 large images in base64 fit well below

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
  void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};

struct Answer {
  std::string body;
  std::map<std::string, std::string> headers;
  bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* answer = static_cast<Answer*>(user);
  size_t bytes = size * count;
  if (answer->body.size() + bytes > kMaxAnswerBytes) {
    answer->too_large = true;
    return 0;  // aborts the transfer
  }
  answer->body.append(data, bytes);
  return bytes;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* answer = static_cast<Answer*>(user);
  std::string_view line(data, size * count);
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    answer->headers[name] = std::string(value);
  }
  return size * count;
}

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "[::1]" || host == "::1" || host.rfind("127.", 0) == 0;
}

const char* kOperationPath[] = {"/images/generations", "/images/edits"};

std::string generate_body(const ImageRequest& request) {
  Json body = Json::object();
  body["model"] = request.model;
  body["prompt"] = request.prompt;
  if (request.n) body["n"] = *request.n;
  if (request.size) body["size"] = *request.size;
  // DALL-E models answer with URLs unless asked; omk never fetches URLs (see the response
  // parser). GPT image models always answer in base64 and reject the parameter.
  if (request.model.rfind("dall-e", 0) == 0) body["response_format"] = "b64_json";
  return body.dump();
}

void add_part(curl_mime* mime, const char* name, const std::string& value) {
  curl_mimepart* part = curl_mime_addpart(mime);
  curl_mime_name(part, name);
  curl_mime_data(part, value.data(), value.size());
}

void add_file_part(curl_mime* mime, const char* name, const ImageFile& file) {
  curl_mimepart* part = curl_mime_addpart(mime);
  curl_mime_name(part, name);
  curl_mime_data(part, file.bytes.data(), file.bytes.size());
  curl_mime_filename(part, std::filesystem::path(file.path).filename().c_str());
  curl_mime_type(part, file.mime_type.c_str());
}

curl_mime* edit_body(CURL* curl, const ImageRequest& request) {
  curl_mime* mime = curl_mime_init(curl);
  add_part(mime, "model", request.model);
  add_part(mime, "prompt", request.prompt);
  if (request.n) add_part(mime, "n", std::to_string(*request.n));
  if (request.size) add_part(mime, "size", *request.size);
  if (request.model.rfind("dall-e", 0) == 0) add_part(mime, "response_format", "b64_json");
  if (request.image) add_file_part(mime, "image", *request.image);
  if (request.mask) add_file_part(mime, "mask", *request.mask);
  return mime;
}

ImageResult transport_failure(ImageErrorCategory category, std::string message) {
  ImageResult result;
  result.error = ImageError{category, 0, std::move(message), std::nullopt};
  return result;
}

}  // namespace

const char* to_string(ImageErrorCategory category) {
  switch (category) {
    case ImageErrorCategory::kAuth:
      return "auth";
    case ImageErrorCategory::kPermission:
      return "permission";
    case ImageErrorCategory::kRateLimit:
      return "rate_limit";
    case ImageErrorCategory::kBilling:
      return "billing";
    case ImageErrorCategory::kContentPolicy:
      return "content_policy";
    case ImageErrorCategory::kBadRequest:
      return "bad_request";
    case ImageErrorCategory::kServer:
      return "server";
    case ImageErrorCategory::kNetwork:
      return "network";
    case ImageErrorCategory::kTimeout:
      return "timeout";
    case ImageErrorCategory::kBadResponse:
      return "bad_response";
  }
  return "bad_response";
}

std::string images_base_url(const EnvMap& env) {
  std::string url = env_value(env, "OPENAI_BASE_URL").value_or("");
  if (url.empty()) return kDefaultImagesBaseUrl;
  while (!url.empty() && url.back() == '/') url.pop_back();

  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> parsed(curl_url(), curl_url_cleanup);
  char* scheme = nullptr;
  char* host = nullptr;
  bool ok = curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
            curl_url_get(parsed.get(), CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
            curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK;
  std::string scheme_text = scheme ? scheme : "";
  std::string host_text = host ? host : "";
  curl_free(scheme);
  curl_free(host);
  if (!ok || (scheme_text != "https" && scheme_text != "http")) {
    throw usage_error("OPENAI_BASE_URL is not an http(s) URL; unset it to use " +
                      std::string(kDefaultImagesBaseUrl) +
                      " or set it to a compatible gateway such as https://host/v1");
  }
  if (scheme_text == "http" && !is_loopback_host(host_text)) {
    throw usage_error(fmt::format(
        "OPENAI_BASE_URL uses http:// to {}, which would send the API key unencrypted; use "
        "https:// (http:// is accepted only for this machine: localhost, 127.0.0.1, [::1])",
        host_text));
  }
  return url;
}

ImageResult call_images_api(const std::string& base_url, const ImageApiKey& key,
                            const ImageRequest& request) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised) return transport_failure(ImageErrorCategory::kNetwork, "libcurl failed");
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return transport_failure(ImageErrorCategory::kNetwork, "libcurl failed");
  CURL* handle = curl.get();

  bool edit = request.operation == ImageRequest::Operation::kEdit;
  std::string url = base_url + kOperationPath[edit ? 1 : 0];
  std::string authorization = "Authorization: Bearer " + key.value;
  curl_slist* raw_headers = curl_slist_append(nullptr, authorization.c_str());
  if (!edit) raw_headers = curl_slist_append(raw_headers, "Content-Type: application/json");
  raw_headers = curl_slist_append(raw_headers, "Accept: application/json");
  raw_headers = curl_slist_append(raw_headers, "Expect:");  // no 100-continue round trip
  std::unique_ptr<curl_slist, CurlDeleter> headers(raw_headers);
  // The header buffer held the key: wipe it once libcurl has copied it into the list.
  std::fill(authorization.begin(), authorization.end(), '\0');

  std::string json_body;
  std::unique_ptr<curl_mime, CurlDeleter> mime;
  if (edit) {
    mime.reset(edit_body(handle, request));
    curl_easy_setopt(handle, CURLOPT_MIMEPOST, mime.get());
  } else {
    json_body = generate_body(request);
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, json_body.c_str());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(json_body.size()));
  }

  Answer answer;
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "omk-image");
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &answer);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, request.timeout_seconds);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, std::min(request.timeout_seconds, 30L));
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  // The key must not follow a redirect to another host, nor travel over anything but HTTP(S).
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");

  CURLcode code = curl_easy_perform(handle);
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return transport_failure(
        ImageErrorCategory::kTimeout,
        fmt::format("no complete answer within {} s", request.timeout_seconds));
  }
  if (answer.too_large) {
    return transport_failure(ImageErrorCategory::kBadResponse,
                             fmt::format("the answer is over {} MiB", kMaxAnswerBytes >> 20));
  }
  if (code != CURLE_OK) {
    std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
    return transport_failure(ImageErrorCategory::kNetwork,
                             fmt::format("request to {} failed: {}", url, detail));
  }
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  return parse_images_response(status, answer.body, answer.headers, key.value);
}

}  // namespace omk::cli
