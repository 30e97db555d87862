#include "dag/yaml_reader.h"

#include <algorithm>
#include <limits>

#include "dag/duration.h"

namespace omk::dag {
namespace {

bool is_plain(const YAML::Node& node) {
  return node.Tag() == "?" || node.Tag().empty();
}

std::string type_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "nothing (null)";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return is_plain(node) ? "'" + node.Scalar() + "'" : "the string \"" + node.Scalar() + "\"";
    default:
      return "an undefined value";
  }
}

bool is_env_name(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

}  // namespace

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

SourceMark YamlReader::mark_of(const YAML::Node& node) {
  if (!node.IsDefined()) return {};
  YAML::Mark mark = node.Mark();
  if (mark.line < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

void YamlReader::problem(const YAML::Node& at, const std::string& message) {
  problem(mark_of(at), message);
}

void YamlReader::problem(SourceMark at, const std::string& message) {
  problems_.push_back({at, message});
}

bool YamlReader::entries(const YAML::Node& node, const std::string& what,
                         const std::vector<std::string>& known,
                         std::vector<std::pair<std::string, YAML::Node>>& out,
                         std::map<std::string, SourceMark>* key_marks) {
  if (!node.IsMap()) {
    problem(node, what + " must be a mapping, not " + type_name(node));
    return false;
  }
  std::map<std::string, SourceMark> seen;
  for (const auto& pair : node) {
    // Copies: yaml-cpp's iterators hand out temporaries.
    const YAML::Node key = pair.first;
    const YAML::Node value = pair.second;
    if (!key.IsScalar()) {
      problem(key, what + " has a key that is not a name");
      continue;
    }
    const std::string name = key.Scalar();
    SourceMark mark = mark_of(key);
    if (auto previous = seen.find(name); previous != seen.end()) {
      problem(mark, what + " has '" + name + "' twice (first on line " +
                        std::to_string(previous->second.line) + ")");
      continue;
    }
    seen[name] = mark;
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      problem(mark,
              what + " has an unknown key '" + name + "' (known keys: " + join_names(known) + ")");
      continue;
    }
    if (key_marks) (*key_marks)[name] = mark;
    out.emplace_back(name, value);
  }
  return true;
}

std::optional<std::string> YamlReader::string(const YAML::Node& node, const std::string& what) {
  if (!node.IsScalar()) {
    problem(node, what + " must be a string, not " + type_name(node));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, const std::string& what) {
  if (node.IsScalar() && is_plain(node)) {
    if (node.Scalar() == "true") return true;
    if (node.Scalar() == "false") return false;
  }
  problem(node, what + " must be true or false, not " + type_name(node));
  return std::nullopt;
}

std::optional<int64_t> YamlReader::integer(const YAML::Node& node, const std::string& what,
                                           int64_t min, int64_t max) {
  if (node.IsScalar() && is_plain(node)) {
    const std::string& text = node.Scalar();
    bool digits = !text.empty() &&
                  std::all_of(text.begin() + (text[0] == '-' ? 1 : 0), text.end(),
                              [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (digits && text != "-" && text.size() < 18) {
      int64_t value = std::stoll(text);
      if (value >= min && value <= max) return value;
      problem(node, what + " must be between " + std::to_string(min) + " and " +
                        std::to_string(max) + ", not " + text);
      return std::nullopt;
    }
  }
  problem(node, what + " must be a whole number, not " + type_name(node));
  return std::nullopt;
}

std::optional<int64_t> YamlReader::duration(const YAML::Node& node, const std::string& what) {
  if (node.IsScalar()) {
    if (auto ms = parse_duration_ms(node.Scalar())) return ms;
  }
  problem(node, what + " must be a duration like 90s, 10m or 1h30m, not " + type_name(node));
  return std::nullopt;
}

std::optional<std::vector<std::string>> YamlReader::strings(const YAML::Node& node,
                                                            const std::string& what, bool single_ok,
                                                            std::vector<SourceMark>* marks) {
  std::vector<std::string> out;
  if (node.IsScalar() && single_ok) {
    out.push_back(node.Scalar());
    if (marks) marks->push_back(mark_of(node));
    return out;
  }
  if (!node.IsSequence()) {
    problem(node, what + " must be a list of strings, not " + type_name(node));
    return std::nullopt;
  }
  bool ok = true;
  for (const auto& item : node) {
    if (!item.IsScalar()) {
      problem(item, what + " must list strings, not " + type_name(item));
      ok = false;
      continue;
    }
    out.push_back(item.Scalar());
    if (marks) marks->push_back(mark_of(item));
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::map<std::string, std::string>> YamlReader::string_map(const YAML::Node& node,
                                                                         const std::string& what) {
  if (!node.IsMap()) {
    problem(node, what + " must be a mapping of NAME: value, not " + type_name(node));
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  bool ok = true;
  for (const auto& pair : node) {
    const YAML::Node key = pair.first;
    const YAML::Node value = pair.second;
    if (!key.IsScalar() || !is_env_name(key.Scalar())) {
      problem(key, what + " has a name that is not a valid variable name");
      ok = false;
      continue;
    }
    const std::string name = key.Scalar();
    if (out.count(name)) {
      problem(key, what + " sets '" + name + "' twice");
      ok = false;
      continue;
    }
    if (!value.IsScalar()) {
      problem(value, what + " value of '" + name + "' must be a string, not " + type_name(value));
      ok = false;
      continue;
    }
    out[name] = value.Scalar();
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<CommandLine> YamlReader::command(const YAML::Node& node, const std::string& what) {
  CommandLine command;
  if (node.IsScalar()) {
    if (node.Scalar().empty()) {
      problem(node, what + " is empty");
      return std::nullopt;
    }
    command.shell = true;
    command.text = node.Scalar();
    while (!command.text.empty() && command.text.back() == '\n') command.text.pop_back();
    command.argv = {"sh", "-c", command.text};
    return command;
  }
  if (node.IsSequence()) {
    auto argv = strings(node, what, false);
    if (!argv) return std::nullopt;
    if (argv->empty() || (*argv)[0].empty()) {
      problem(node, what + " must name a program first");
      return std::nullopt;
    }
    command.argv = *argv;
    for (const auto& arg : command.argv) {
      if (!command.text.empty()) command.text += ' ';
      bool quote = arg.empty() || arg.find_first_of(" \t'\"$\\") != std::string::npos;
      command.text += quote ? "'" + arg + "'" : arg;
    }
    return command;
  }
  problem(node, what + " must be a command string or an argv list, not " + type_name(node));
  return std::nullopt;
}

}  // namespace omk::dag
