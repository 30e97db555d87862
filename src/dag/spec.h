#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omk::dag {

// A pipeline as written in YAML or JSON (omk.dag.v1), with every default applied. docs/runs.md
// documents the format; spec_parser.h reads it and spec_json.h writes the normalised form that
// run.json records.

struct SourceMark {
  int line = 0;  // 1-based; 0 when unknown
  int column = 0;
};

enum class NodeKind { kAgent, kCommand, kBuiltin };
std::string_view to_string(NodeKind kind);

enum class GateKind { kCommand, kTests, kFileExists, kDiff, kSecretsClean, kReview };
std::string_view to_string(GateKind kind);

// A command as written: an argv list runs as is; a string runs with `sh -c`.
struct CommandLine {
  std::vector<std::string> argv;
  bool shell = false;  // argv is {"sh", "-c", text}
  std::string text;    // for display: the string, or the argv joined
  // One line for messages: the text with newlines shown as "; ", cut at 80 characters.
  std::string brief() const;
};

struct GateSpec {
  GateKind kind = GateKind::kCommand;
  CommandLine command;             // command, tests
  std::string junit;               // tests: JUnit XML report path (workspace-relative)
  std::string tap;                 // tests: TAP report path
  std::vector<std::string> paths;  // file_exists
  std::vector<std::string> allow;  // diff: globs the change may touch (empty: anything)
  std::string review_by;           // review: the agent node whose verdict counts
  SourceMark mark;
};

struct NodeSpec {
  std::string id;
  std::string name;
  NodeKind kind = NodeKind::kCommand;
  std::string role;
  std::string prompt;   // agent
  CommandLine run;      // command
  std::string builtin;  // builtin: secrets-scan, guard-check
  std::string target;   // builtin: the node whose workspace and diff it checks
  std::vector<std::string> depends_on;
  std::string provider;  // agent: auto or a provider id
  std::string risk;      // read, write, shell, merge
  std::string sandbox;   // read-only, workspace-write, full-access
  bool network = false;
  std::map<std::string, std::string> env;
  int64_t timeout_ms = 0;
  int max_attempts = 1;
  int64_t backoff_ms = 0;  // first retry delay; doubles per attempt
  bool worktree = false;
  bool optional = false;
  int priority = 0;
  std::vector<GateSpec> evidence;

  SourceMark mark;
  std::map<std::string, SourceMark> field_marks;  // where each key was written
  std::vector<SourceMark> depends_on_marks;

  // Lanes that may change files: they get a worktree by default and may carry a diff gate.
  bool write_capable() const;
  SourceMark mark_of(const std::string& field) const;
};

struct DagSpec {
  std::string source;  // display name of the file, for messages
  std::string goal;
  std::vector<NodeSpec> nodes;

  const NodeSpec* find(std::string_view id) const;
  int index_of(std::string_view id) const;  // -1 when absent
};

// One problem with a spec, located in its file.
struct SpecProblem {
  SourceMark mark;
  std::string message;
};

std::string format_problem(const std::string& source, const SpecProblem& problem);

// Can `id` be one component of a git branch name? (git check-ref-format's rules)
bool is_ref_component(const std::string& id);

// The builtin checks a `kind: builtin` lane can run.
const std::vector<std::string>& builtin_names();
// Provider names a lane may ask for until the providers registry lands (routing issue).
const std::vector<std::string>& known_provider_names();

}  // namespace omk::dag
