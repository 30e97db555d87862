#include "core/config_schema.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

namespace omk {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    if (dot == std::string_view::npos) dot = path.size();
    parts.push_back(path.substr(start, dot - start));
    start = dot + 1;
  }
  return parts;
}

bool segments_match(const std::vector<std::string_view>& pattern,
                    const std::vector<std::string_view>& actual, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (pattern[i] != "*" && pattern[i] != actual[i]) return false;
  }
  return true;
}

bool is_env_name_pattern(std::string_view name) {
  if (name.empty()) return false;
  if (name.back() == '*') name.remove_suffix(1);
  if (name.empty()) return false;
  auto first = static_cast<unsigned char>(name.front());
  if (!(std::isalpha(first) || first == '_')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || c == '_';
  });
}

// Tool or Tool(pattern): the shape of a Claude Code permission rule. Which tools and patterns
// make sense is the guard's to say; the configuration only refuses what cannot be a rule.
bool is_permission_rule(std::string_view rule) {
  size_t open = rule.find('(');
  std::string_view tool = rule.substr(0, open);
  if (tool.empty() || !std::isalpha(static_cast<unsigned char>(tool.front()))) return false;
  bool plain = std::all_of(tool.begin(), tool.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  if (!plain) return false;
  if (open == std::string_view::npos) return true;
  return rule.back() == ')' && rule.size() > open + 2;
}

const std::vector<std::string_view> kScopes = {"project", "all", "none"};
const std::vector<std::string_view> kExecution = {"ask", "auto", "never"};
const std::vector<std::string_view> kSandbox = {"read-only", "workspace-write", "full-access"};

}  // namespace

std::string_view to_string(ValueKind kind) {
  switch (kind) {
    case ValueKind::kString:
      return "a string";
    case ValueKind::kInteger:
      return "an integer";
    case ValueKind::kBoolean:
      return "a boolean";
    case ValueKind::kStringArray:
      return "an array of strings";
  }
  return "a value";
}

const std::vector<ConfigKey>& config_schema() {
  static const std::vector<ConfigKey> schema = {
      {"runtime.provider",
       ValueKind::kString,
       std::string("auto"),
       {},
       "OMK_PROVIDER",
       "Which agent runtime runs work: auto, authority, primary, omk, or a provider id/alias."},
      {"runtime.authority",
       ValueKind::kString,
       std::string("auto"),
       {},
       "OMK_AUTHORITY_PROVIDER",
       "The provider `authority`, `primary` and `omk` resolve to (an id or alias); auto: the "
       "first healthy write-capable CLI (codex, claude, kimi, qwen, gemini, opencode)."},
      {"runtime.execution", ValueKind::kString, std::string("ask"), kExecution, "OMK_EXECUTION",
       "Approval policy for what agents do: ask a human, auto (policy decides), never."},
      {"runtime.sandbox", ValueKind::kString, std::string("workspace-write"), kSandbox, "",
       "Most permissive sandbox profile a write turn may get."},
      {"runtime.turn_timeout_ms",
       ValueKind::kInteger,
       int64_t{120000},
       {},
       "OMK_TURN_TIMEOUT_MS",
       "Per-turn time limit in milliseconds.",
       1},
      {"runtime.isolate_turns",
       ValueKind::kBoolean,
       true,
       {},
       "",
       "Chat write and shell turns run in a disposable git worktree whose changes are "
       "shown and applied back; false: they edit the project in place."},
      {"scopes.mcp", ValueKind::kString, std::string("project"), kScopes, "OMK_MCP_SCOPE",
       "Which MCP config files are active: project, all (adds user files; trusted local-user "
       "mode), none."},
      {"scopes.skills", ValueKind::kString, std::string("project"), kScopes, "OMK_SKILLS_SCOPE",
       "Which skill folders are active: project, all (trusted local-user mode), none."},
      {"scopes.hooks", ValueKind::kString, std::string("project"), kScopes, "OMK_HOOKS_SCOPE",
       "Which hook registrations are active: project, all (trusted local-user mode), none."},
      {"env.allow",
       ValueKind::kStringArray,
       std::vector<std::string>{},
       {},
       "",
       "Extra parent environment variable names children may receive (NAME or PREFIX*).",
       0,
       true},
      {"env.grant_secrets",
       ValueKind::kStringArray,
       std::vector<std::string>{},
       {},
       "",
       "Secret-like variable names explicitly granted to children.",
       0,
       true},
      // The command guard's policy. Deliberately without environment overrides: an agent can
      // set variables, so a variable must never be able to loosen the guard.
      {"guard.deny",
       ValueKind::kStringArray,
       std::vector<std::string>{},
       {},
       "",
       "Guard rules that refuse a command or file access (Claude Code syntax: Bash(git push:*), "
       "Read(./.env), Edit(src/**)).",
       0,
       false,
       true},
      {"guard.ask",
       ValueKind::kStringArray,
       std::vector<std::string>{},
       {},
       "",
       "Guard rules that ask a person first; they never lower a built-in deny.",
       0,
       false,
       true},
      {"guard.allow",
       ValueKind::kStringArray,
       std::vector<std::string>{},
       {},
       "",
       "Guard rules that allow; the only way to lift a built-in deny for the commands they match.",
       0,
       false,
       true},
      {"guard.protected_branches",
       ValueKind::kStringArray,
       std::vector<std::string>{"main", "master"},
       {},
       "",
       "Branches `git push` may not update; pushing to them is denied.",
       0},
      // The OS sandbox every child runs in (docs/sandbox.md).
      {"sandbox.require",
       ValueKind::kBoolean,
       false,
       {},
       "OMK_SANDBOX_REQUIRE",
       "Refuse to run a child (exit 3) when a sandbox layer is missing on this machine."},
      {"sandbox.writable_roots",
       ValueKind::kStringArray,
       std::vector<std::string>{},
       {},
       "",
       "Directories children may write besides the workspace (workspace-write profile)."},
      {"sandbox.readable_roots",
       ValueKind::kStringArray,
       std::vector<std::string>{},
       {},
       "",
       "Directories children may read beyond the system ones (toolchains under HOME, /nix)."},
      {"mcp.*.grant",
       ValueKind::kStringArray,
       std::vector<std::string>{},
       {},
       "",
       "Variables an MCP server's ${NAME} env/header references may resolve to (with "
       "[env] grant_secrets); nothing else of omk's environment reaches it.",
       0,
       true},
      {"mcp.*.sandbox", ValueKind::kString, std::string("read-only"), kSandbox, "",
       "Sandbox profile a stdio MCP server runs in."},
      {"mcp.*.network",
       ValueKind::kBoolean,
       false,
       {},
       "",
       "Whether a stdio MCP server may use the network (off unless declared)."},
      // Per provider (docs/providers.md); the table name is a provider id.
      {"providers.*.enabled",
       ValueKind::kBoolean,
       true,
       {},
       "",
       "Whether policy resolution may choose this provider."},
      {"providers.*.model",
       ValueKind::kString,
       std::string(""),
       {},
       "",
       "The model to run; empty: the CLI's own default (API providers: their default model)."},
      {"providers.*.binary",
       ValueKind::kString,
       std::string(""),
       {},
       "",
       "The CLI's executable (a name looked up on PATH, or a path); empty: its usual name."},
      {"providers.*.base_url",
       ValueKind::kString,
       std::string(""),
       {},
       "",
       "Send the provider's model traffic to this URL (a gateway, a local server); empty: the "
       "provider's own endpoint."},
      {"providers.*.api_key_env",
       ValueKind::kString,
       std::string(""),
       {},
       "",
       "The variable in omk's environment holding the provider's API key (granted to that "
       "provider alone); empty: the provider's usual variable or its own login."},
      {"secrets.max_file_mib",
       ValueKind::kInteger,
       int64_t{25},
       {},
       "",
       "omk secrets scan skips (and counts) files larger than this many MiB.",
       1},
  };
  return schema;
}

const ConfigKey* find_config_key(std::string_view path) {
  auto actual = split_path(path);
  for (const ConfigKey& key : config_schema()) {
    auto pattern = split_path(key.path);
    if (pattern.size() == actual.size() && segments_match(pattern, actual, actual.size())) {
      return &key;
    }
  }
  return nullptr;
}

bool is_known_config_table(std::string_view prefix) {
  auto actual = split_path(prefix);
  for (const ConfigKey& key : config_schema()) {
    auto pattern = split_path(key.path);
    if (pattern.size() > actual.size() && segments_match(pattern, actual, actual.size())) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> check_config_value(const ConfigKey& key, const ConfigValue& value) {
  if (!key.allowed.empty()) {
    const auto& text = std::get<std::string>(value);
    if (std::find(key.allowed.begin(), key.allowed.end(), text) == key.allowed.end()) {
      return fmt::format("\"{}\" is not one of: {}", text, fmt::join(key.allowed, ", "));
    }
  }
  if (key.kind == ValueKind::kInteger && std::get<int64_t>(value) < key.min_integer) {
    return fmt::format("{} is below the minimum {}", std::get<int64_t>(value), key.min_integer);
  }
  if (key.kind == ValueKind::kString && key.allowed.empty() &&
      std::get<std::string>(value).empty()) {
    return std::string("must not be empty");
  }
  if (key.permission_rules) {
    for (const auto& rule : std::get<std::vector<std::string>>(value)) {
      if (!is_permission_rule(rule)) {
        return fmt::format(
            "\"{}\" is not a rule; write Tool or Tool(pattern), e.g. \"Bash(git push:*)\"", rule);
      }
    }
  }
  if (key.names_environment_variables) {
    for (const auto& name : std::get<std::vector<std::string>>(value)) {
      if (!is_env_name_pattern(name)) {
        return fmt::format("\"{}\" is not an environment variable name (NAME or PREFIX*)", name);
      }
    }
  }
  return std::nullopt;
}

std::string describe(const ConfigValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return fmt::format("\"{}\"", v);
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return std::to_string(v);
        } else {
          std::vector<std::string> quoted;
          for (const auto& item : v) quoted.push_back(fmt::format("\"{}\"", item));
          return fmt::format("[{}]", fmt::join(quoted, ", "));
        }
      },
      value);
}

}  // namespace omk
