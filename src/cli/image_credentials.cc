#include "cli/image_credentials.h"

#include <fmt/format.h>

#include <regex>

#include "core/error.h"
#include "safety/env_names.h"
#include "safety/secret_detect.h"

namespace omk::cli {
namespace {

constexpr const char* kWhatToDo =
    "Create a project API key at platform.openai.com (or a project service account), set it only "
    "in this command's environment ({0}=<key> omk image ...) and unset it afterwards. omk never "
    "stores it and never reads ~/.codex/auth.json; Codex/ChatGPT logins cannot call the Images "
    "API.";

std::string trim(std::string_view text) {
  const char* space = " \t\r\n\v\f";
  size_t first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  size_t last = text.find_last_not_of(space);
  return std::string(text.substr(first, last - first + 1));
}

bool starts_with_icase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

// The shapes of a ChatGPT/Codex login rather than a Platform key: what `codex login` stores in
// ~/.codex/auth.json (a JWT id/access token, a refresh token), a pasted Authorization header,
// a browser session token, or a prefixed account id.
bool looks_like_login_token(const std::string& value) {
  static const std::regex pattern(
      R"(^(Bearer\s+|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+|(oauth|acct|codex|chatgpt):|(sess|oai|rt)[-_][A-Za-z0-9_-]+|(access|refresh|id)[_-]?token[:=]))",
      std::regex::icase | std::regex::optimize);
  return std::regex_search(value, pattern);
}

// The value names a file instead of holding a key: omk does not follow it.
bool looks_like_file(const std::string& value) {
  return value.front() == '/' || value.front() == '~' || starts_with_icase(value, "./") ||
         starts_with_icase(value, "../") || starts_with_icase(value, "file:") ||
         (value.size() > 5 && starts_with_icase(value.substr(value.size() - 5), ".json"));
}

bool is_env_name(std::string_view name) {
  static const std::regex pattern("^[A-Za-z_][A-Za-z0-9_]*$");
  return std::regex_match(name.begin(), name.end(), pattern);
}

}  // namespace

std::optional<std::string> image_key_refusal(std::string_view raw) {
  std::string value = trim(raw);
  if (value.empty()) return "is empty";
  if (looks_like_login_token(value)) {
    return "looks like a Codex/ChatGPT OAuth, JWT-like or session token";
  }
  if (value.front() == '{') {
    return "looks like the contents of a credential file such as ~/.codex/auth.json";
  }
  if (looks_like_file(value)) {
    return "is a file path; omk reads the key itself from the environment, never a file";
  }
  if (value.find_first_of(" \t\r\n") != std::string::npos) {
    return "holds more than one word; it must be the key alone";
  }
  static const std::regex platform_shape("^sk-(proj|svcacct)-[A-Za-z0-9_-]+$");
  std::optional<safety::SecretDetection> detection = safety::detect_secret(value);
  if (!detection) {
    if (std::regex_match(value, platform_shape)) {
      return "is too short or too regular to be an OpenAI project API key";
    }
    return "does not look like an OpenAI Platform project API key (sk-proj-... or "
           "sk-svcacct-...)";
  }
  const std::string& rule = detection->rule_id;
  if (rule == "openai-project-key" || rule == "openai-service-account-key") {
    if (std::regex_match(value, platform_shape)) return std::nullopt;
    return "holds more than the key; it must be the key alone";
  }
  if (rule == "jwt" || rule == "authorization-bearer" || rule.find("oauth") != std::string::npos) {
    return "looks like a Codex/ChatGPT OAuth, JWT-like or session token";
  }
  if (rule == "openai-admin-key") {
    return "is an OpenAI admin key, which omk does not use; use a project key";
  }
  if (rule == "openai-api-key") {
    return "is a legacy user key (or a Moonshot/Kimi key of the same shape), not a project key";
  }
  return fmt::format("looks like another vendor's credential ({}, rule {})", detection->description,
                     rule);
}

ImageApiKey image_api_key(const EnvMap& env, const std::string& env_name) {
  if (!is_env_name(env_name)) {
    throw usage_error(
        fmt::format("--api-key-env '{}' is not an environment variable name; name the variable "
                    "that holds an OpenAI Platform project API key (default {})",
                    env_name, kDefaultImageKeyEnv));
  }
  if (safety::is_denylisted_env_name(env_name)) {
    throw usage_error(
        fmt::format("--api-key-env {} names a credential omk never sends anywhere; the Images "
                    "API takes only an OpenAI Platform project API key (default {})",
                    env_name, kDefaultImageKeyEnv));
  }
  std::string what_to_do = fmt::format(kWhatToDo, env_name);
  std::optional<std::string> raw = env_value(env, env_name);
  std::string value = raw ? trim(*raw) : std::string();
  if (value.empty()) {
    throw usage_error(fmt::format("OpenAI API key is missing: {} is {}. {}", env_name,
                                  raw ? "empty" : "not set", what_to_do));
  }
  if (std::optional<std::string> refusal = image_key_refusal(value)) {
    throw usage_error(fmt::format(
        "the OpenAI Images API needs an OpenAI Platform project API key in {}; the value {}. {}",
        env_name, *refusal, what_to_do));
  }
  return ImageApiKey{env_name, std::move(value)};
}

}  // namespace omk::cli
