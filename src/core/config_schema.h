#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace omk {

enum class ValueKind { kString, kInteger, kBoolean, kStringArray };

std::string_view to_string(ValueKind kind);

using ConfigValue = std::variant<std::string, int64_t, bool, std::vector<std::string>>;

// One supported key of .omk/config.toml. The schema is the single source for validation,
// defaults, environment overrides, the init template test and docs/configuration.md's test.
struct ConfigKey {
  std::string_view path;  // dotted; a "*" segment matches any one table name ("mcp.*.grant")
  ValueKind kind;
  ConfigValue default_value;
  std::vector<std::string_view> allowed;  // for enumerations; empty means any value of the kind
  std::string_view env_override;          // environment variable that wins over the file, or ""
  std::string_view description;
  int64_t min_integer = 0;
  bool names_environment_variables = false;  // array items must be variable names (FOO, LC_*)
  bool permission_rules = false;  // array items are rules: Tool or Tool(pattern), e.g. Bash(ls:*)
};

const std::vector<ConfigKey>& config_schema();

// The schema entry for a concrete dotted path, honouring "*" segments.
const ConfigKey* find_config_key(std::string_view path);

// True when some schema key lies under `prefix` (a table path), so the table is known.
bool is_known_config_table(std::string_view prefix);

// Checks a value against the key's kind-independent rules (enumeration, minimum, names).
// Returns an error text (without the key name) or nullopt.
std::optional<std::string> check_config_value(const ConfigKey& key, const ConfigValue& value);

std::string describe(const ConfigValue& value);

}  // namespace omk
