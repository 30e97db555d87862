#include "dag/spec_gates.h"

#include <filesystem>

namespace omk::dag {
namespace {

const std::vector<std::string> kGateNames = {"command", "tests",         "file_exists",
                                             "diff",    "secrets_clean", "review"};

// Report and gate paths are read inside the lane's workspace: they must stay in it.
bool check_relative_path(const YAML::Node& at, const std::string& path, const std::string& what,
                         YamlReader& reader) {
  std::filesystem::path p(path);
  bool escapes = p.is_absolute() || path.empty();
  for (const auto& part : p) escapes = escapes || part == "..";
  if (escapes) {
    reader.problem(
        at, what + " '" + path + "' must be a relative path inside the lane's workspace (no '..')");
  }
  return !escapes;
}

void read_tests(const YAML::Node& value, GateSpec& gate, const std::string& what,
                YamlReader& reader) {
  std::vector<std::pair<std::string, YAML::Node>> entries;
  if (!reader.entries(value, what, {"run", "junit", "tap"}, entries)) return;
  bool has_run = false;
  for (const auto& [key, item] : entries) {
    if (key == "run") {
      has_run = true;
      if (auto command = reader.command(item, what + " run")) gate.command = *command;
    } else if (auto path = reader.string(item, what + " " + key)) {
      if (check_relative_path(item, *path, what + " " + key, reader)) {
        (key == "junit" ? gate.junit : gate.tap) = *path;
      }
    }
  }
  if (!has_run) reader.problem(value, what + " needs `run:` (the command that runs the tests)");
  bool has_junit = value.IsMap() && value["junit"];
  bool has_tap = value.IsMap() && value["tap"];
  if (has_junit == has_tap) {
    reader.problem(value, what + " needs exactly one report: `junit: FILE.xml` or `tap: FILE`");
  }
}

}  // namespace

void read_gates(const YAML::Node& list, NodeSpec& node, const std::string& label,
                YamlReader& reader) {
  if (!list.IsSequence()) {
    reader.problem(list, label + " evidence must be a list of gates, e.g. `- command: make check`");
    return;
  }
  int index = 0;
  for (const auto& item : list) {
    const std::string what = label + " evidence[" + std::to_string(index++) + "]";
    std::vector<std::pair<std::string, YAML::Node>> entries;
    if (!reader.entries(item, what, kGateNames, entries)) continue;
    if (entries.size() != 1) {
      if (item.size() != 1) {
        reader.problem(item, what + " must have exactly one key naming the gate (" +
                                 join_names(kGateNames) + ")");
      }
      continue;
    }
    const auto& [name, value] = entries.front();
    GateSpec gate;
    gate.mark = YamlReader::mark_of(item);
    const std::string gate_what = what + " " + name;
    if (name == "command") {
      gate.kind = GateKind::kCommand;
      auto command = reader.command(value, gate_what);
      if (!command) continue;
      gate.command = *command;
    } else if (name == "tests") {
      gate.kind = GateKind::kTests;
      read_tests(value, gate, gate_what, reader);
    } else if (name == "file_exists") {
      gate.kind = GateKind::kFileExists;
      auto paths = reader.strings(value, gate_what, true);
      if (!paths) continue;
      if (paths->empty()) reader.problem(value, gate_what + " lists no paths");
      for (const auto& path : *paths) check_relative_path(value, path, gate_what, reader);
      gate.paths = *paths;
    } else if (name == "diff") {
      gate.kind = GateKind::kDiff;
      if (value.IsScalar()) {
        auto on = reader.boolean(value, gate_what);
        if (on && !*on) reader.problem(value, gate_what + ": false is not a gate; remove it");
      } else {
        std::vector<std::pair<std::string, YAML::Node>> diff_entries;
        if (!reader.entries(value, gate_what, {"allow"}, diff_entries)) continue;
        for (const auto& [key, allow] : diff_entries) {
          if (auto globs = reader.strings(allow, gate_what + " allow", true)) gate.allow = *globs;
        }
      }
    } else if (name == "secrets_clean") {
      gate.kind = GateKind::kSecretsClean;
      auto on = reader.boolean(value, gate_what);
      if (on && !*on) reader.problem(value, gate_what + ": false is not a gate; remove it");
    } else if (name == "review") {
      gate.kind = GateKind::kReview;
      std::vector<std::pair<std::string, YAML::Node>> review_entries;
      if (!reader.entries(value, gate_what, {"by"}, review_entries)) continue;
      if (review_entries.empty()) {
        reader.problem(value, gate_what + " needs `by: NODE` (the agent lane that reviews)");
        continue;
      }
      if (auto by = reader.string(review_entries.front().second, gate_what + " by")) {
        gate.review_by = *by;
      }
    }
    node.evidence.push_back(std::move(gate));
  }
}

}  // namespace omk::dag
