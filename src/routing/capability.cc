#include "routing/capability.h"

namespace omk::routing {

std::string_view to_string(Capability capability) {
  switch (capability) {
    case Capability::kRead:
      return "read";
    case Capability::kReview:
      return "review";
    case Capability::kWrite:
      return "write";
    case Capability::kPatch:
      return "patch";
    case Capability::kShell:
      return "shell";
    case Capability::kMerge:
      return "merge";
    case Capability::kMcp:
      return "mcp";
    case Capability::kToolCalling:
      return "toolCalling";
    case Capability::kStreaming:
      return "streaming";
  }
  return "read";
}

const std::vector<Capability>& all_capabilities() {
  static const std::vector<Capability> all = {
      Capability::kRead,  Capability::kReview,      Capability::kWrite,
      Capability::kPatch, Capability::kShell,       Capability::kMerge,
      Capability::kMcp,   Capability::kToolCalling, Capability::kStreaming};
  return all;
}

std::optional<Capability> parse_capability(std::string_view name) {
  for (Capability c : all_capabilities()) {
    if (to_string(c) == name) return c;
  }
  return std::nullopt;
}

bool CapabilitySet::write_capable() const {
  return has(Capability::kWrite) || has(Capability::kPatch) || has(Capability::kShell) ||
         has(Capability::kMerge);
}

std::vector<std::string> CapabilitySet::names() const {
  std::vector<std::string> out;
  for (Capability c : all_capabilities()) {
    if (has(c)) out.emplace_back(to_string(c));
  }
  return out;
}

std::string CapabilitySet::joined() const {
  std::string out;
  for (const std::string& name : names()) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace omk::routing
