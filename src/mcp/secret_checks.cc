#include "mcp/secret_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "mcp/server_config.h"
#include "mcp/url.h"
#include "safety/env_names.h"
#include "safety/secret_detect.h"

namespace omk::mcp {
namespace {

// What is left of a value once its ${NAME} references and a leading auth scheme word
// ("Bearer ${TOKEN}") are taken out: a reference is how a secret should be written.
std::string literal_part(std::string_view value) {
  std::string rest;
  size_t from = 0;
  for (size_t at = value.find("${"); at != std::string_view::npos; at = value.find("${", from)) {
    size_t end = value.find('}', at);
    if (end == std::string_view::npos || !is_env_name(value.substr(at + 2, end - at - 2))) break;
    rest.append(value.substr(from, at - from));
    from = end + 1;
  }
  rest.append(value.substr(from));
  size_t start = rest.find_first_not_of(" \t");
  if (start == std::string::npos) return "";
  rest.erase(0, start);
  for (std::string_view scheme : {"bearer", "basic", "token"}) {
    if (rest.size() >= scheme.size() &&
        std::equal(scheme.begin(), scheme.end(), rest.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        })) {
      rest.erase(0, scheme.size());
      break;
    }
  }
  rest.erase(0, std::min(rest.size(), rest.find_first_not_of(" \t")));
  return rest;
}

// A value under `name` is a literal secret when the safety layer's rules find a secret in it,
// or when the name says credential and something other than a reference was written.
std::optional<std::string> literal_secret(std::string_view name, std::string_view value) {
  std::string rest = literal_part(value);
  if (rest.empty()) return std::nullopt;
  if (auto found = safety::detect_secret(value)) return found->rule_id;
  if (!name.empty() && safety::is_secret_like_name(name)) return std::string("secret-name");
  return std::nullopt;
}

void check_map(const Json& entry, const char* key, const char* what,
               std::vector<SecretFinding>& findings) {
  auto map = entry.find(key);
  if (map == entry.end() || !map->is_object()) return;
  for (const auto& [name, value] : map->items()) {
    if (!value.is_string()) continue;
    if (auto rule = literal_secret(name, value.get<std::string>())) {
      findings.push_back({fmt::format("{} {}", what, name), *rule});
    }
  }
}

void check_url(const std::string& url, std::vector<SecretFinding>& findings) {
  auto parts = parse_url(url);
  if (parts && parts->has_credentials) findings.push_back({"url credentials", "url-userinfo"});
  size_t query = url.find('?');
  if (query != std::string::npos) {
    std::string_view rest = std::string_view(url).substr(query + 1);
    rest = rest.substr(0, rest.find('#'));
    size_t start = 0;
    while (start < rest.size()) {
      size_t end = rest.find('&', start);
      if (end == std::string_view::npos) end = rest.size();
      std::string_view pair = rest.substr(start, end - start);
      size_t eq = pair.find('=');
      if (eq != std::string_view::npos) {
        if (auto rule = literal_secret(pair.substr(0, eq), pair.substr(eq + 1))) {
          findings.push_back({fmt::format("url query {}", pair.substr(0, eq)), *rule});
        }
      }
      start = end + 1;
    }
  }
  if (findings.empty()) {
    if (auto found = safety::detect_secret(url)) findings.push_back({"url", found->rule_id});
  }
}

void check_args(const Json& entry, std::vector<SecretFinding>& findings) {
  auto args = entry.find("args");
  if (args == entry.end() || !args->is_array()) return;
  std::string previous_option;
  for (size_t i = 0; i < args->size(); ++i) {
    const Json& arg = (*args)[i];
    if (!arg.is_string()) continue;
    std::string text = arg.get<std::string>();
    std::string where = fmt::format("args[{}]", i);
    if (auto found = safety::detect_secret(text)) {
      findings.push_back({where, found->rule_id});
    } else if (text.rfind("-", 0) == 0 && text.find('=') != std::string::npos) {
      // --token=VALUE
      std::string option = text.substr(0, text.find('='));
      option.erase(0, option.find_first_not_of('-'));
      if (auto rule = literal_secret(option, text.substr(text.find('=') + 1))) {
        findings.push_back({where, *rule});
      }
    } else if (!previous_option.empty() && text.rfind("-", 0) != 0) {
      // --api-key VALUE
      if (auto rule = literal_secret(previous_option, text)) findings.push_back({where, *rule});
    }
    previous_option.clear();
    if (text.rfind("-", 0) == 0 && text.find('=') == std::string::npos) {
      previous_option = text.substr(text.find_first_not_of('-') == std::string::npos
                                        ? text.size()
                                        : text.find_first_not_of('-'));
    }
  }
}

}  // namespace

std::vector<SecretFinding> literal_secrets(const std::string& /*server_name*/, const Json& entry) {
  std::vector<SecretFinding> findings;
  if (!entry.is_object()) return findings;
  check_map(entry, "env", "env", findings);
  check_map(entry, "headers", "header", findings);
  auto url = entry.find("url");
  if (url != entry.end() && url->is_string()) check_url(url->get<std::string>(), findings);
  check_args(entry, findings);
  return findings;
}

}  // namespace omk::mcp
