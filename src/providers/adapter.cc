#include "providers/adapter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <stdexcept>

#include "safety/secret_detect.h"

namespace omk::providers {
namespace fs = std::filesystem;

std::string_view to_string(AdapterKind kind) {
  return kind == AdapterKind::kCli ? "cli" : "api";
}

std::string_view to_string(PromptTransport transport) {
  switch (transport) {
    case PromptTransport::kStdin:
      return "stdin";
    case PromptTransport::kFile:
      return "file";
    case PromptTransport::kHttp:
      return "http";
  }
  return "stdin";
}

VersionInfo Adapter::parse_version(int exit_code, const std::string& out, const std::string& err,
                                   const std::string& /*help*/) const {
  VersionInfo info;
  if (exit_code != 0) {
    info.problem = fmt::format("`{} --version` exited {}", spec_.binary_name, exit_code);
    return info;
  }
  static const std::regex version(R"((\d+\.\d+(?:\.\d+)?(?:[-+.][0-9A-Za-z.-]+)?))");
  std::smatch match;
  for (const std::string* text : {&out, &err}) {
    if (std::regex_search(*text, match, version)) {
      info.ok = true;
      info.version = match[1];
      return info;
    }
  }
  info.problem = fmt::format("`{} --version` printed no version number", spec_.binary_name);
  return info;
}

Answer Adapter::interpret_auth_probe(int exit_code, const std::string& /*out*/,
                                     const std::string& /*err*/) const {
  std::string command = spec_.binary_name;
  for (const std::string& arg : auth_probe_args()) command += " " + arg;
  if (exit_code == 0) return Answer::yes(fmt::format("`{}` reports a login", command));
  return Answer::no(
      fmt::format("`{}` exited {}: not logged in ({})", command, exit_code, spec_.login_hint));
}

CliInvocation Adapter::build(const CliTurn& /*turn*/) const {
  throw std::logic_error(spec_.id + " is not a CLI adapter");
}

std::unique_ptr<OutputParser> Adapter::parser() const {
  return nullptr;
}

FailureCategory Adapter::classify(const RunOutcome& outcome) const {
  if (outcome.start_failed) return FailureCategory::kNotInstalled;
  if (outcome.timed_out) return FailureCategory::kTimeout;
  if (outcome.cancelled) return FailureCategory::kError;
  if (auto found = classify_provider_text(outcome.stderr_tail + "\n" + outcome.stdout_tail)) {
    return *found;
  }
  if (outcome.signalled) return FailureCategory::kCrashed;
  return outcome.exit_code == 0 ? FailureCategory::kNone : FailureCategory::kError;
}

Answer api_key_answer(const std::string& variable, const EnvMap& omk_env,
                      const std::string& key_prefix, bool check_vendor) {
  auto value = env_value(omk_env, variable);
  if (!value) return Answer::no(variable + " is not set");
  if (value->empty()) return Answer::no(variable + " is empty");
  for (char c : *value) {
    if (std::isspace(static_cast<unsigned char>(c)) ||
        std::iscntrl(static_cast<unsigned char>(c))) {
      return Answer::no(variable + " holds whitespace or control characters: not a key");
    }
  }
  if (value->size() < 8) return Answer::no(variable + " is too short to be a key");
  if (!key_prefix.empty() && value->rfind(key_prefix, 0) != 0) {
    return Answer::no(fmt::format("{} does not look like this provider's key (expected {}…)",
                                  variable, key_prefix));
  }
  // A key of another vendor in this variable (an Anthropic key in DEEPSEEK_API_KEY) fails at
  // the first request; say so now. The generic sk-… shape is shared by several vendors.
  if (auto detection = check_vendor ? safety::detect_secret(*value) : std::nullopt) {
    const std::string& rule = detection->rule_id;
    bool shared_shape = rule == "openai-api-key" || rule.rfind("generic", 0) == 0;
    auto lowered = [](const std::string& text) {
      std::string out;
      for (char c : text) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return out;
    };
    // The vendor the variable is named after ("deepseek" of DEEPSEEK_API_KEY) may be named by
    // the rule ("sk- key of 32 hex digits (DeepSeek, DashScope/Qwen ...)").
    std::string variable_vendor = lowered(variable.substr(0, variable.find('_')));
    std::string rule_vendor = rule.substr(0, rule.find('-'));
    bool names_vendor =
        lowered(detection->description).find(variable_vendor) != std::string::npos ||
        rule.find(variable_vendor) != std::string::npos ||
        lowered(variable).find(rule_vendor) != std::string::npos;
    if (!shared_shape && !names_vendor) {
      return Answer::no(fmt::format("{} holds what looks like a {}, not this provider's key",
                                    variable, detection->description));
    }
  }
  return Answer::yes(variable + " is set and well-formed");
}

std::optional<Answer> configured_key_answer(const HealthEnv& env) {
  if (env.settings.api_key_env.empty()) return std::nullopt;
  Answer answer = api_key_answer(env.settings.api_key_env, env.omk_env);
  if (answer.is_yes()) answer.reason += " ([providers] api_key_env)";
  return answer;
}

bool file_has_content(const fs::path& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  return !ec && size > 2;  // "{}" is not a login
}

bool has_credential(const CliTurn& turn, const std::string& name) {
  return std::find(turn.credentials_present.begin(), turn.credentials_present.end(), name) !=
         turn.credentials_present.end();
}

}  // namespace omk::providers
