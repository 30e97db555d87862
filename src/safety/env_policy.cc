#include "safety/env_policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "safety/env_names.h"
#include "safety/secret_detect.h"

namespace omk::safety {
namespace {

bool valid_name(std::string_view name) {
  return !name.empty() && name.find('=') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

bool starts_with_omk(std::string_view name) {
  if (name.size() < 4) return false;
  std::string head(name.substr(0, 4));
  for (char& c : head) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return head == "OMK_";
}

class Builder {
 public:
  explicit Builder(const EnvPolicy& policy) : policy_(policy) {}

  void parent(const EnvMap& env) {
    for (const auto& [name, value] : env) {
      if (!check_valid(name, value, EnvSource::kParent)) continue;
      if (starts_with_omk(name) || is_control_variable(name)) {
        drop(name, DropReason::kControlVariable, EnvSource::kParent);
        continue;
      }
      if (is_denylisted_env_name(name) || is_code_injection_variable(name)) {
        drop(name, DropReason::kDenylist, EnvSource::kParent);
        continue;
      }
      bool grant = granted(name);
      if (!grant && is_secret_like_name(name)) {
        drop(name, DropReason::kSecretName, EnvSource::kParent);
        continue;
      }
      if (!grant && !allowlisted(name)) {
        drop(name, DropReason::kNotAllowlisted, EnvSource::kParent);
        continue;
      }
      if (!grant) {
        if (auto found = detect_secret(value)) {
          drop(name, DropReason::kSecretValue, EnvSource::kParent, found->rule_id);
          continue;
        }
      }
      if (grant && (is_secret_like_name(name) || is_secret_value(value))) {
        granted_.insert(name);
      }
      result_.env[name] = value;
    }
  }

  void explicit_env(const EnvMap& env) {
    const std::string& where = policy_.explicit_context;
    bool trusted = policy_.trust_explicit_secrets && !policy_.strict_explicit;
    for (const auto& [name, value] : env) {
      if (!check_valid(name, value, EnvSource::kExplicit)) continue;
      if (is_control_variable(name)) {
        drop(name, DropReason::kControlVariable, EnvSource::kExplicit);
        warn(name, fmt::format("{} in {} is an omk control variable; dropped (set it in omk's "
                               "own environment instead)",
                               name, where));
        continue;
      }
      if (is_denylisted_env_name(name)) {
        drop(name, DropReason::kDenylist, EnvSource::kExplicit);
        warn(name, fmt::format("{} in {} is on the credential denylist; dropped", name, where));
        continue;
      }
      std::optional<SecretDetection> secret_value;
      bool secret_name = is_secret_like_name(name);
      if (!secret_name) secret_value = detect_secret(value);
      if (secret_name || secret_value) {
        if (granted(name)) {
          granted_.insert(name);
        } else if (trusted) {
          granted_.insert(name);
          warn(name, fmt::format("secret-like {} in {} passed because "
                                 "OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV=1",
                                 name, where));
        } else {
          drop(name, secret_name ? DropReason::kSecretName : DropReason::kSecretValue,
               EnvSource::kExplicit, secret_value ? secret_value->rule_id : std::string());
          warn(name,
               fmt::format("{} includes secret-like variable {}; it was dropped. Grant it in "
                           "[env] grant_secrets, or set OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV=1 only "
                           "inside an isolated runner to pass it through",
                           where, name));
          continue;
        }
      }
      if (is_code_injection_variable(name)) {
        warn(name, fmt::format("{} in {} changes what code the child loads or runs; passed "
                               "because explicit env is trusted input",
                               name, where));
      }
      result_.env[name] = value;
    }
  }

  void forced(const RunMetadata& metadata) {
    for (const auto& [name, value] : metadata.extra) result_.env[name] = value;
    result_.env["OMK_RUN_ID"] = metadata.run_id;
    result_.env["OMK_NODE_ID"] = metadata.node_id;
    result_.env["OMK_NODE_ROLE"] = metadata.node_role;
    if (metadata.provider_policy) {
      result_.env["OMK_NODE_PROVIDER_POLICY"] = metadata.provider_policy->dump();
    }
    if (metadata.capabilities) {
      result_.env["OMK_NODE_CAPABILITIES"] = metadata.capabilities->dump();
    }
  }

  ChildEnv finish() {
    for (const auto& entry : result_.env) result_.passed.push_back(entry.first);
    for (const std::string& name : granted_) {
      if (result_.env.count(name) != 0) result_.granted.push_back(name);
    }
    std::sort(result_.dropped.begin(), result_.dropped.end(),
              [](const DroppedVariable& a, const DroppedVariable& b) {
                if (a.name != b.name) return a.name < b.name;
                return a.source < b.source;
              });
    return std::move(result_);
  }

 private:
  bool granted(const std::string& name) const {
    return matches_any_name_pattern(policy_.grant_secrets, name) ||
           std::find(policy_.adapter_credentials.begin(), policy_.adapter_credentials.end(),
                     name) != policy_.adapter_credentials.end();
  }

  bool allowlisted(const std::string& name) const {
    return matches_any_name_pattern(basic_env_allowlist(), name) ||
           matches_any_name_pattern(policy_.allow, name) ||
           matches_any_name_pattern(policy_.adapter_names, name);
  }

  bool check_valid(const std::string& name, const std::string& value, EnvSource source) {
    if (!valid_name(name)) {
      // The name itself may be garbage or worse; never echo it.
      warn("\x01invalid-name", fmt::format("a variable with an invalid name in the {} "
                                           "environment was dropped",
                                           to_string(source)));
      return false;
    }
    if (value.find('\0') != std::string::npos) {
      warn(name,
           fmt::format("{} ({}) has a NUL byte in its value; dropped", name, to_string(source)));
      return false;
    }
    return true;
  }

  void drop(const std::string& name, DropReason reason, EnvSource source, std::string rule = {}) {
    result_.dropped.push_back({name, reason, source, std::move(rule)});
  }

  // One warning per variable per build: a node with many turns must not repeat itself, and a
  // second build (another child) warns again because the user may not have seen the first.
  void warn(const std::string& key, std::string message) {
    if (warned_.insert(key).second) result_.warnings.push_back(std::move(message));
  }

  const EnvPolicy& policy_;
  ChildEnv result_;
  std::set<std::string> granted_;
  std::set<std::string> warned_;
};

}  // namespace

std::string_view to_string(DropReason reason) {
  switch (reason) {
    case DropReason::kDenylist:
      return "denylist";
    case DropReason::kSecretName:
      return "secret-name";
    case DropReason::kSecretValue:
      return "secret-value";
    case DropReason::kNotAllowlisted:
      return "not-allowlisted";
    case DropReason::kControlVariable:
      return "control-variable";
  }
  return "denylist";
}

std::string_view to_string(EnvSource source) {
  return source == EnvSource::kParent ? "parent" : "explicit";
}

EnvPolicy env_policy_from_config(const Config& config, const EnvMap& omk_env,
                                 const AdapterEnvDeclaration* adapter) {
  EnvPolicy policy;
  policy.allow = config.strings("env.allow");
  policy.grant_secrets = config.strings("env.grant_secrets");
  if (adapter != nullptr) {
    policy.adapter_names = adapter->names;
    policy.adapter_credentials = adapter->credentials;
    policy.explicit_context = adapter->name + " adapter env";
  }
  policy.trust_explicit_secrets = env_flag(omk_env, "OMK_TRUST_KIMI_EXPLICIT_SECRET_ENV");
  policy.strict_explicit = env_flag(omk_env, "OMK_STRICT_KIMI_EXPLICIT_ENV");
  return policy;
}

ChildEnv build_child_env(const EnvMap& parent, const EnvMap& explicit_env,
                         const RunMetadata& forced, const EnvPolicy& policy) {
  Builder builder(policy);
  builder.parent(parent);
  builder.explicit_env(explicit_env);
  builder.forced(forced);
  return builder.finish();
}

}  // namespace omk::safety
