#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/environment.h"

namespace omk::cli {

// The OpenAI Images API is called only with an OpenAI Platform project API key (sk-proj-...)
// or a project service-account key (sk-svcacct-...) taken from omk's runtime environment.
// Nothing else is a credential here: not a Codex/ChatGPT login (OAuth access or refresh token,
// JWT, session token), not another vendor's key, not a legacy user key, and never a file: omk
// does not read ~/.codex/auth.json or any other credential store.
inline constexpr const char* kDefaultImageKeyEnv = "OPENAI_API_KEY";

struct ImageApiKey {
  std::string env_name;
  std::string value;  // trimmed; never printed, logged or put in argv
};

// Why `value` is refused as an Images API key (a phrase that completes "the value ..."), or
// nullopt when it is an accepted project or service-account key. Never quotes the value.
std::optional<std::string> image_key_refusal(std::string_view value);

// The key from `env_name` in `env`. Throws UserError (exit 2) with one message naming the
// variable and what to do when the name is unusable, the variable is unset or empty, or the
// value is refused by image_key_refusal.
ImageApiKey image_api_key(const EnvMap& env, const std::string& env_name);

}  // namespace omk::cli
