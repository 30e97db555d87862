#include "safety/rules.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/atomic_file.h"
#include "core/error.h"

namespace omk::safety {
namespace {

// gitleaks allows one level of [extend] chaining beyond the file itself; so do we.
constexpr int kMaxExtendDepth = 2;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

class RuleFileParser {
 public:
  RuleFileParser(std::string display_name, std::filesystem::path base_dir, int depth)
      : name_(std::move(display_name)), base_dir_(std::move(base_dir)), depth_(depth) {}

  RuleSet parse(std::string_view text) {
    toml::table root;
    try {
      root = toml::parse(text, name_);
    } catch (const toml::parse_error& error) {
      throw usage_error(fmt::format("{}:{}: not a valid rule file: {}", name_,
                                    error.source().begin.line, error.description()));
    }
    RuleSet set;
    set.title = optional_string(root, "title", "the file");
    for (auto&& [key, node] : root) {
      std::string_view k = key.str();
      if (k == "title" || k == "description" || k == "minVersion" || k == "rules" ||
          k == "allowlist" || k == "allowlists" || k == "extend") {
        continue;
      }
      warn(node, fmt::format("unknown key '{}' ignored", k));
    }
    if (const toml::node* rules = root.get("rules")) {
      const toml::array* array = rules->as_array();
      if (array == nullptr) fail(*rules, "'rules' must be an array of tables ([[rules]])");
      for (const toml::node& entry : *array) {
        const toml::table* table = entry.as_table();
        if (table == nullptr) fail(entry, "each [[rules]] entry must be a table");
        set.rules.push_back(parse_rule(*table));
      }
    }
    if (const toml::node* single = root.get("allowlist")) {
      set.allowlists.push_back(parse_allowlist(table_of(*single, "allowlist"), "global", true));
    }
    if (const toml::node* many = root.get("allowlists")) {
      for (const toml::table* table : tables_of(*many, "allowlists")) {
        set.allowlists.push_back(parse_allowlist(*table, "global", true));
      }
    }
    check_unique_ids(set);
    if (const toml::node* extend = root.get("extend")) {
      set = apply_extend(table_of(*extend, "extend"), std::move(set));
    }
    set.warnings.insert(set.warnings.begin(), warnings_.begin(), warnings_.end());
    return set;
  }

 private:
  [[noreturn]] void fail(const toml::node& node, const std::string& message) const {
    throw usage_error(fmt::format("{}:{}: {}", name_, node.source().begin.line, message));
  }

  void warn(const toml::node& node, const std::string& message) {
    warnings_.push_back(fmt::format("{}:{}: {}", name_, node.source().begin.line, message));
  }

  const toml::table& table_of(const toml::node& node, std::string_view what) const {
    const toml::table* table = node.as_table();
    if (table == nullptr) fail(node, fmt::format("'{}' must be a table", what));
    return *table;
  }

  std::vector<const toml::table*> tables_of(const toml::node& node, std::string_view what) const {
    std::vector<const toml::table*> out;
    const toml::array* array = node.as_array();
    if (array == nullptr) fail(node, fmt::format("'{}' must be an array of tables", what));
    for (const toml::node& entry : *array) {
      const toml::table* table = entry.as_table();
      if (table == nullptr) fail(entry, fmt::format("each '{}' entry must be a table", what));
      out.push_back(table);
    }
    return out;
  }

  std::string optional_string(const toml::table& table, std::string_view key,
                              std::string_view where) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return {};
    const auto* value = node->as_string();
    if (value == nullptr) fail(*node, fmt::format("'{}' in {} must be a string", key, where));
    return value->get();
  }

  std::vector<std::string> string_list(const toml::table& table, std::string_view key,
                                       std::string_view where) const {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (node == nullptr) return out;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      fail(*node, fmt::format("'{}' in {} must be an array of strings", key, where));
    }
    for (const toml::node& entry : *array) {
      const auto* value = entry.as_string();
      if (value == nullptr) {
        fail(entry, fmt::format("'{}' in {} must hold only strings", key, where));
      }
      out.push_back(value->get());
    }
    return out;
  }

  SecretRule parse_rule(const toml::table& table) {
    SecretRule rule;
    rule.id = optional_string(table, "id", "a rule");
    if (rule.id.empty()) fail(table, "every rule needs a non-empty 'id'");
    std::string where = fmt::format("rule '{}'", rule.id);
    rule.description = optional_string(table, "description", where);
    rule.regex = optional_string(table, "regex", where);
    rule.path = optional_string(table, "path", where);
    if (rule.regex.empty() && rule.path.empty()) {
      fail(table, fmt::format("{} needs a 'regex' or a 'path'", where));
    }
    if (const toml::node* group = table.get("secretGroup")) {
      const auto* value = group->as_integer();
      if (value == nullptr || value->get() < 0 || value->get() > 99) {
        fail(*group, fmt::format("'secretGroup' in {} must be an integer from 0 to 99", where));
      }
      rule.secret_group = static_cast<int>(value->get());
    }
    if (const toml::node* entropy = table.get("entropy")) {
      std::optional<double> value = entropy->value<double>();
      if (!value || *value < 0 || *value > 8) {
        fail(*entropy, fmt::format("'entropy' in {} must be a number from 0 to 8", where));
      }
      rule.entropy = *value;
    }
    for (std::string& keyword : string_list(table, "keywords", where)) {
      if (keyword.empty()) fail(table, fmt::format("{} has an empty keyword", where));
      rule.keywords.push_back(lower(keyword));
    }
    rule.tags = string_list(table, "tags", where);
    if (const toml::node* single = table.get("allowlist")) {
      rule.allowlists.push_back(parse_allowlist(table_of(*single, "allowlist"), where, false));
    }
    if (const toml::node* many = table.get("allowlists")) {
      for (const toml::table* entry : tables_of(*many, "allowlists")) {
        rule.allowlists.push_back(parse_allowlist(*entry, where, false));
      }
    }
    for (auto&& [key, node] : table) {
      std::string_view k = key.str();
      static const std::set<std::string_view> known = {
          "id",      "description", "regex",    "path",      "secretGroup",
          "entropy", "tags",        "keywords", "allowlist", "allowlists"};
      if (known.count(k) != 0) continue;
      if (k == "required" || k == "skipReport") {
        warn(node, fmt::format("{}: '{}' (composite rules) is not supported; the rule is "
                               "evaluated on its own",
                               where, k));
      } else {
        warn(node, fmt::format("{}: unknown key '{}' ignored", where, k));
      }
    }
    return rule;
  }

  RuleAllowlist parse_allowlist(const toml::table& table, const std::string& owner, bool global) {
    std::string where = fmt::format("an allowlist of {}", owner);
    RuleAllowlist list;
    list.description = optional_string(table, "description", where);
    std::string condition = optional_string(table, "condition", where);
    if (condition.empty() || condition == "OR" || condition == "or") {
      list.condition = AllowlistCondition::kOr;
    } else if (condition == "AND" || condition == "and" || condition == "&&") {
      list.condition = AllowlistCondition::kAnd;
    } else {
      fail(table, fmt::format("'condition' in {} must be \"OR\" or \"AND\", not \"{}\"", where,
                              condition));
    }
    std::string target = optional_string(table, "regexTarget", where);
    if (target.empty() || target == "secret") {
      list.target = AllowlistTarget::kSecret;
    } else if (target == "match") {
      list.target = AllowlistTarget::kMatch;
    } else if (target == "line") {
      list.target = AllowlistTarget::kLine;
    } else {
      fail(table, fmt::format("'regexTarget' in {} must be \"secret\", \"match\" or \"line\", "
                              "not \"{}\"",
                              where, target));
    }
    list.regexes = string_list(table, "regexes", where);
    list.paths = string_list(table, "paths", where);
    for (std::string& word : string_list(table, "stopwords", where)) {
      list.stopwords.push_back(lower(word));
    }
    if (global) list.target_rules = string_list(table, "targetRules", where);
    if (table.get("commits") != nullptr) {
      warn(table, fmt::format("'commits' in {} ignored: omk scans files, not git history", where));
    }
    for (auto&& [key, node] : table) {
      static const std::set<std::string_view> known = {"description", "condition",   "regexTarget",
                                                       "regexes",     "paths",       "stopwords",
                                                       "commits",     "targetRules", "regexTarget"};
      if (known.count(key.str()) == 0) {
        warn(node, fmt::format("unknown key '{}' in {} ignored", key.str(), where));
      }
    }
    if (list.regexes.empty() && list.paths.empty() && list.stopwords.empty()) {
      warn(table, fmt::format("{} has no regexes, paths or stopwords and allows nothing", where));
    }
    return list;
  }

  void check_unique_ids(const RuleSet& set) const {
    std::set<std::string> seen;
    for (const SecretRule& rule : set.rules) {
      if (!seen.insert(rule.id).second) {
        throw usage_error(
            fmt::format("{}: rule id '{}' appears twice; ids must be unique", name_, rule.id));
      }
    }
  }

  RuleSet apply_extend(const toml::table& extend, RuleSet own) {
    bool use_default = false;
    if (const toml::node* node = extend.get("useDefault")) {
      const auto* value = node->as_boolean();
      if (value == nullptr) fail(*node, "'useDefault' in [extend] must be true or false");
      use_default = value->get();
    }
    std::string path = optional_string(extend, "path", "[extend]");
    if (!optional_string(extend, "url", "[extend]").empty()) {
      fail(extend,
           "[extend] url is not supported: omk never fetches rules from the network; "
           "download the file and use [extend] path");
    }
    std::vector<std::string> disabled = string_list(extend, "disabledRules", "[extend]");
    if (use_default && !path.empty()) {
      fail(extend, "[extend] takes either useDefault or path, not both");
    }
    RuleSet base;
    if (use_default) {
      base = builtin_rule_set();
    } else if (!path.empty()) {
      if (depth_ >= kMaxExtendDepth) {
        fail(extend, fmt::format("[extend] chains deeper than {} files", kMaxExtendDepth));
      }
      std::filesystem::path file = base_dir_ / path;
      auto text = read_file_if_exists(file);
      if (!text) fail(extend, fmt::format("[extend] path {} does not exist", file.string()));
      RuleFileParser parser(file.string(), file.parent_path(), depth_ + 1);
      base = parser.parse(*text);
    } else {
      return own;
    }
    std::set<std::string> own_ids;
    for (const SecretRule& rule : own.rules) own_ids.insert(rule.id);
    std::set<std::string> disabled_ids(disabled.begin(), disabled.end());
    // The extending file's rules come first: they are the user's specific formats and must win
    // over the base set's generic assignments when both match the same text.
    RuleSet merged;
    merged.title = own.title.empty() ? base.title : own.title;
    merged.rules = std::move(own.rules);
    for (SecretRule& rule : base.rules) {
      if (own_ids.count(rule.id) != 0 || disabled_ids.count(rule.id) != 0) continue;
      merged.rules.push_back(std::move(rule));
    }
    merged.allowlists = std::move(base.allowlists);
    for (RuleAllowlist& list : own.allowlists) merged.allowlists.push_back(std::move(list));
    merged.warnings = std::move(base.warnings);
    return merged;
  }

  std::string name_;
  std::filesystem::path base_dir_;
  int depth_;
  std::vector<std::string> warnings_;
};

}  // namespace

RuleSet parse_rule_file(std::string_view text, const std::string& display_name,
                        const std::filesystem::path& base_dir) {
  RuleFileParser parser(display_name, base_dir, 0);
  return parser.parse(text);
}

RuleSet load_rule_file(const std::filesystem::path& path) {
  auto text = read_file_if_exists(path);
  if (!text) {
    throw usage_error(fmt::format("rule file {} does not exist", path.string()));
  }
  return parse_rule_file(*text, path.string(), path.parent_path());
}

const RuleSet& builtin_rule_set() {
  static const RuleSet rules = parse_rule_file(builtin_rules_toml(), "built-in rules", {});
  return rules;
}

}  // namespace omk::safety
