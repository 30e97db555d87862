#include "core/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/atomic_file.h"
#include "core/error.h"

namespace omk {
namespace fs = std::filesystem;

std::string_view to_string(ValueSource source) {
  switch (source) {
    case ValueSource::kDefault:
      return "default";
    case ValueSource::kFile:
      return "file";
    case ValueSource::kEnv:
      return "env";
  }
  return "default";
}

Scope parse_scope(std::string_view text) {
  if (text == "all") return Scope::kAll;
  if (text == "none") return Scope::kNone;
  return Scope::kProject;
}

std::string_view to_string(Scope scope) {
  switch (scope) {
    case Scope::kProject:
      return "project";
    case Scope::kAll:
      return "all";
    case Scope::kNone:
      return "none";
  }
  return "project";
}

const ConfigValue& Config::get(std::string_view path) const {
  auto it = values_.find(path);
  if (it != values_.end()) return it->second.value;
  const ConfigKey* key = find_config_key(path);
  if (key == nullptr) throw std::logic_error("config key not in schema: " + std::string(path));
  return key->default_value;
}

const std::string& Config::string(std::string_view path) const {
  return std::get<std::string>(get(path));
}
int64_t Config::integer(std::string_view path) const {
  return std::get<int64_t>(get(path));
}
bool Config::boolean(std::string_view path) const {
  return std::get<bool>(get(path));
}
const std::vector<std::string>& Config::strings(std::string_view path) const {
  return std::get<std::vector<std::string>>(get(path));
}

ValueSource Config::source(std::string_view path) const {
  auto it = values_.find(path);
  return it == values_.end() ? ValueSource::kDefault : it->second.source;
}

std::vector<std::string> Config::tables(std::string_view prefix) const {
  std::vector<std::string> names;
  std::string start = std::string(prefix) + ".";
  for (const auto& [path, entry] : values_) {
    if (path.compare(0, start.size(), start) != 0) continue;
    std::string rest = path.substr(start.size());
    std::string name = rest.substr(0, rest.find('.'));
    if (names.empty() || names.back() != name) names.push_back(name);
  }
  return names;
}

class ConfigBuilder {
 public:
  ConfigBuilder(std::string display_name) : display_name_(std::move(display_name)) {}

  void walk(const toml::table& table, const std::string& prefix) {
    for (const auto& [raw_key, node] : table) {
      std::string path =
          prefix.empty() ? std::string(raw_key.str()) : prefix + "." + std::string(raw_key.str());
      int line = static_cast<int>(node.source().begin.line);
      if (const toml::table* child = node.as_table()) {
        if (is_known_config_table(path)) {
          walk(*child, path);
        } else if (!find_config_key(path)) {
          warnings_.emplace_back(
              line, fmt::format("{}:{}: unknown table [{}] ignored", display_name_, line, path));
        } else {
          type_error(line, path, *find_config_key(path), "a table");
        }
        continue;
      }
      const ConfigKey* key = find_config_key(path);
      if (key == nullptr && is_known_config_table(path)) {
        errors_.emplace_back(
            line, fmt::format("{}:{}: {} must be a table ([{}]), got {}", display_name_, line, path,
                              path, describe_node(node)));
        continue;
      }
      if (key == nullptr) {
        warnings_.emplace_back(
            line, fmt::format("{}:{}: unknown key \"{}\" ignored", display_name_, line, path));
        continue;
      }
      auto value = convert(node, *key);
      if (!value) {
        type_error(line, path, *key, describe_node(node));
        continue;
      }
      if (auto problem = check_config_value(*key, *value)) {
        errors_.emplace_back(line,
                             fmt::format("{}:{}: {}: {}", display_name_, line, path, *problem));
        continue;
      }
      config_.values_[path] = {std::move(*value), ValueSource::kFile};
    }
  }

  void apply_env(const EnvMap& env) {
    for (const ConfigKey& key : config_schema()) {
      if (key.env_override.empty()) continue;
      auto it = env.find(std::string(key.env_override));
      if (it == env.end() || it->second.empty()) continue;  // empty means unset
      std::optional<ConfigValue> value;
      if (key.kind == ValueKind::kString) {
        value = it->second;
      } else if (key.kind == ValueKind::kBoolean) {
        std::string text = it->second;
        std::transform(text.begin(), text.end(), text.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (text == "1" || text == "true" || text == "yes" || text == "on") value = true;
        if (text == "0" || text == "false" || text == "no" || text == "off") value = false;
      } else if (key.kind == ValueKind::kInteger) {
        int64_t number = 0;
        const std::string& text = it->second;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (ec == std::errc() && end == text.data() + text.size()) value = number;
      }
      if (!value) {
        errors_.emplace_back(
            kAfterFile, fmt::format("environment variable {} must be {} (for {})", key.env_override,
                                    to_string(key.kind), key.path));
        continue;
      }
      if (auto problem = check_config_value(key, *value)) {
        errors_.emplace_back(
            kAfterFile, fmt::format("environment variable {}: {}", key.env_override, *problem));
        continue;
      }
      config_.values_[std::string(key.path)] = {std::move(*value), ValueSource::kEnv};
    }
  }

  void add_error(int line, std::string error) { errors_.emplace_back(line, std::move(error)); }

  Config finish() {
    if (!errors_.empty()) {
      std::stable_sort(errors_.begin(), errors_.end(), by_line);
      std::string message = "invalid configuration";
      for (const auto& error : errors_) message += "\n  " + error.second;
      message += "\n  fix the values above (docs/configuration.md lists every key)";
      throw usage_error(message);
    }
    std::stable_sort(warnings_.begin(), warnings_.end(), by_line);
    for (auto& warning : warnings_) config_.warnings_.push_back(std::move(warning.second));
    return std::move(config_);
  }

  Config& config() { return config_; }

 private:
  static std::string describe_node(const toml::node& node) {
    switch (node.type()) {
      case toml::node_type::string:
        return "a string";
      case toml::node_type::integer:
        return "an integer";
      case toml::node_type::floating_point:
        return "a float";
      case toml::node_type::boolean:
        return "a boolean";
      case toml::node_type::array:
        return "an array";
      case toml::node_type::table:
        return "a table";
      default:
        return "a date/time";
    }
  }

  void type_error(int line, const std::string& path, const ConfigKey& key, const std::string& got) {
    errors_.emplace_back(line, fmt::format("{}:{}: {} must be {}, got {}", display_name_, line,
                                           path, to_string(key.kind), got));
  }

  static std::optional<ConfigValue> convert(const toml::node& node, const ConfigKey& key) {
    switch (key.kind) {
      case ValueKind::kString:
        if (auto v = node.value_exact<std::string>()) return ConfigValue(*v);
        return std::nullopt;
      case ValueKind::kInteger:
        if (auto v = node.value_exact<int64_t>()) return ConfigValue(*v);
        return std::nullopt;
      case ValueKind::kBoolean:
        if (auto v = node.value_exact<bool>()) return ConfigValue(*v);
        return std::nullopt;
      case ValueKind::kStringArray: {
        const toml::array* array = node.as_array();
        if (array == nullptr) return std::nullopt;
        std::vector<std::string> items;
        for (const auto& item : *array) {
          auto text = item.value_exact<std::string>();
          if (!text) return std::nullopt;
          items.push_back(*text);
        }
        return ConfigValue(std::move(items));
      }
    }
    return std::nullopt;
  }

  std::string display_name_;
  Config config_;
  // Messages keep their line so they can be reported in file order (toml++ iterates sorted).
  using Message = std::pair<int, std::string>;
  static constexpr int kAfterFile = 1 << 30;
  static bool by_line(const Message& a, const Message& b) { return a.first < b.first; }
  std::vector<Message> errors_;
  std::vector<Message> warnings_;
};

Config parse_config(std::string_view text, const std::string& display_name, const EnvMap& env) {
  ConfigBuilder builder(display_name);
  try {
    toml::table table = toml::parse(text, display_name);
    builder.walk(table, "");
  } catch (const toml::parse_error& error) {
    const auto& where = error.source().begin;
    builder.add_error(static_cast<int>(where.line),
                      fmt::format("{}:{}:{}: malformed TOML: {}", display_name, where.line,
                                  where.column, error.description()));
  }
  builder.apply_env(env);
  return builder.finish();
}

fs::path config_path(const fs::path& project_root) {
  return project_root / ".omk" / "config.toml";
}

Config load_config(const fs::path& project_root, const EnvMap& env) {
  fs::path path = config_path(project_root);
  auto text = read_file_if_exists(path);
  Config config = parse_config(text.value_or(""), path.string(), env);
  config.file_ = path;
  config.file_exists_ = text.has_value();
  return config;
}

}  // namespace omk
