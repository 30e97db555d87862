#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dag/spec.h"

namespace omk::dag {

// Typed reads of yaml-cpp nodes that report a located problem instead of throwing, so a spec's
// every mistake is listed in one pass. `what` names the value in messages ("node 'build' timeout").
class YamlReader {
 public:
  static SourceMark mark_of(const YAML::Node& node);

  void problem(const YAML::Node& at, const std::string& message);
  void problem(SourceMark at, const std::string& message);
  const std::vector<SpecProblem>& problems() const { return problems_; }

  // The entries of a mapping with duplicate and unknown keys reported. Returns false (after
  // reporting) when `node` is not a mapping.
  bool entries(const YAML::Node& node, const std::string& what,
               const std::vector<std::string>& known,
               std::vector<std::pair<std::string, YAML::Node>>& out,
               std::map<std::string, SourceMark>* key_marks = nullptr);

  std::optional<std::string> string(const YAML::Node& node, const std::string& what);
  std::optional<bool> boolean(const YAML::Node& node, const std::string& what);
  std::optional<int64_t> integer(const YAML::Node& node, const std::string& what, int64_t min,
                                 int64_t max);
  std::optional<int64_t> duration(const YAML::Node& node, const std::string& what);
  // A list of strings; a single string is a list of one when `single_ok`.
  std::optional<std::vector<std::string>> strings(const YAML::Node& node, const std::string& what,
                                                  bool single_ok,
                                                  std::vector<SourceMark>* marks = nullptr);
  std::optional<std::map<std::string, std::string>> string_map(const YAML::Node& node,
                                                               const std::string& what);
  // A string (run with sh -c) or a non-empty argv list.
  std::optional<CommandLine> command(const YAML::Node& node, const std::string& what);

 private:
  std::vector<SpecProblem> problems_;
};

std::string join_names(const std::vector<std::string>& names);

}  // namespace omk::dag
