#include "dag/spec.h"

namespace omk::dag {

std::string_view to_string(NodeKind kind) {
  switch (kind) {
    case NodeKind::kAgent:
      return "agent";
    case NodeKind::kCommand:
      return "command";
    case NodeKind::kBuiltin:
      return "builtin";
  }
  return "unknown";
}

std::string_view to_string(GateKind kind) {
  switch (kind) {
    case GateKind::kCommand:
      return "command";
    case GateKind::kTests:
      return "tests";
    case GateKind::kFileExists:
      return "file_exists";
    case GateKind::kDiff:
      return "diff";
    case GateKind::kSecretsClean:
      return "secrets_clean";
    case GateKind::kReview:
      return "review";
  }
  return "unknown";
}

std::string CommandLine::brief() const {
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out += "; ";
    } else {
      out += c;
    }
  }
  if (out.size() > 80) out = out.substr(0, 77) + "...";
  return out;
}

bool NodeSpec::write_capable() const {
  return risk != "read" && sandbox != "read-only" && kind != NodeKind::kBuiltin;
}

SourceMark NodeSpec::mark_of(const std::string& field) const {
  auto it = field_marks.find(field);
  return it == field_marks.end() ? mark : it->second;
}

const NodeSpec* DagSpec::find(std::string_view id) const {
  int index = index_of(id);
  return index < 0 ? nullptr : &nodes[static_cast<size_t>(index)];
}

int DagSpec::index_of(std::string_view id) const {
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

std::string format_problem(const std::string& source, const SpecProblem& problem) {
  std::string location = source;
  if (problem.mark.line > 0) {
    location += ":" + std::to_string(problem.mark.line) + ":" + std::to_string(problem.mark.column);
  }
  return location + ": " + problem.message;
}

bool is_ref_component(const std::string& id) {
  if (id.empty() || id.front() == '.' || id.back() == '.') return false;
  if (id.find("..") != std::string::npos) return false;
  if (id.size() >= 5 && id.compare(id.size() - 5, 5, ".lock") == 0) return false;
  return true;
}

const std::vector<std::string>& builtin_names() {
  static const std::vector<std::string> names = {"secrets-scan", "guard-check"};
  return names;
}

const std::vector<std::string>& known_provider_names() {
  // Policies first, then the runtimes DESIGN.md names. The providers layer's registry replaces
  // this list when it lands; until then a typo here is caught at validation time.
  static const std::vector<std::string> names = {
      "auto", "authority", "primary",  "omk",      "codex",      "claude",   "kimi",
      "qwen", "gemini",    "opencode", "deepseek", "openrouter", "moonshot", "openai-compatible"};
  return names;
}

}  // namespace omk::dag
