#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/config_schema.h"
#include "core/environment.h"

namespace omk {

enum class ValueSource { kDefault, kFile, kEnv };
std::string_view to_string(ValueSource source);

enum class Scope { kProject, kAll, kNone };
Scope parse_scope(std::string_view text);  // the value was validated against the schema
std::string_view to_string(Scope scope);

// The validated project configuration: schema defaults, then .omk/config.toml, then the
// environment overrides. Only keys the schema knows are stored.
class Config {
 public:
  const ConfigValue& get(std::string_view path) const;
  const std::string& string(std::string_view path) const;
  int64_t integer(std::string_view path) const;
  bool boolean(std::string_view path) const;
  const std::vector<std::string>& strings(std::string_view path) const;
  ValueSource source(std::string_view path) const;

  // Names of the tables matched by a "*" segment, e.g. tables("mcp") → {"github", ...}.
  std::vector<std::string> tables(std::string_view prefix) const;

  Scope mcp_scope() const { return parse_scope(string("scopes.mcp")); }
  Scope skills_scope() const { return parse_scope(string("scopes.skills")); }
  Scope hooks_scope() const { return parse_scope(string("scopes.hooks")); }

  const std::filesystem::path& file() const { return file_; }
  bool file_exists() const { return file_exists_; }
  // Unknown keys and tables: reported, ignored.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  friend class ConfigBuilder;
  friend Config load_config(const std::filesystem::path& project_root, const EnvMap& env);
  struct Entry {
    ConfigValue value;
    ValueSource source;
  };
  std::map<std::string, Entry, std::less<>> values_;
  std::filesystem::path file_;
  bool file_exists_ = false;
  std::vector<std::string> warnings_;
};

// Parses TOML text. `display_name` names the file in messages. Problems: wrong types, bad values
// and malformed TOML are collected and thrown together as one UserError (exit 2) that names the
// file, line and key; unknown keys become warnings.
Config parse_config(std::string_view text, const std::string& display_name, const EnvMap& env);

// Loads <root>/.omk/config.toml (absent file: defaults) and applies environment overrides.
Config load_config(const std::filesystem::path& project_root, const EnvMap& env);

std::filesystem::path config_path(const std::filesystem::path& project_root);

}  // namespace omk
