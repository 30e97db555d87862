#include "dag/child_env.h"

#include <algorithm>
#include <vector>

#include "core/log.h"

namespace omk::dag {
namespace {

bool basic_allowlisted(const std::string& name) {
  static const std::vector<std::string> kAllowed = {
      "PATH", "HOME", "LANG",  "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TMPDIR",
      "TMP",  "TEMP", "SHELL", "USER", "LOGNAME",   "CI",       "TZ"};
  return name.rfind("LC_", 0) == 0 ||
         std::find(kAllowed.begin(), kAllowed.end(), name) != kAllowed.end();
}

bool looks_secret(const std::string& name) {
  std::string upper;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* word : {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "APIKEY",
                           "PRIVATE_KEY", "CREDENTIAL", "_PAT", "DATABASE_URL", "_DSN"}) {
    if (upper.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

EnvMap tool_environment(const EnvMap& parent) {
  EnvMap child;
  for (const auto& [name, value] : parent) {
    if (basic_allowlisted(name)) child[name] = value;
  }
  return child;
}

EnvMap lane_environment(const EnvMap& parent,
                        const std::map<std::string, std::string>& explicit_env,
                        const std::map<std::string, std::string>& metadata) {
  EnvMap child = tool_environment(parent);
  for (const auto& [name, value] : explicit_env) {
    if (looks_secret(name) || name.rfind("OMK_", 0) == 0) {
      log::warn("lane env: '{}' is not passed to the lane (secret-like or omk control name)", name);
      continue;
    }
    child[name] = value;
  }
  for (const auto& [name, value] : metadata) child[name] = value;
  return child;
}

}  // namespace omk::dag
