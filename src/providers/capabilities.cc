#include "providers/capabilities.h"

#include <array>
#include <utility>

namespace omk::providers {
namespace {

constexpr std::array<std::pair<Capability, std::string_view>, 9> kNames = {{
    {Capability::kRead, "read"},
    {Capability::kReview, "review"},
    {Capability::kWrite, "write"},
    {Capability::kPatch, "patch"},
    {Capability::kShell, "shell"},
    {Capability::kMerge, "merge"},
    {Capability::kMcp, "mcp"},
    {Capability::kToolCalling, "toolCalling"},
    {Capability::kStreaming, "streaming"},
}};

}  // namespace

std::string_view to_string(Capability capability) {
  for (const auto& [c, name] : kNames) {
    if (c == capability) return name;
  }
  return "unknown";
}

std::optional<Capability> parse_capability(std::string_view name) {
  for (const auto& [c, known] : kNames) {
    if (known == name) return c;
  }
  if (name == "tool-calling" || name == "toolcalling") return Capability::kToolCalling;
  return std::nullopt;
}

const std::vector<Capability>& all_capabilities() {
  static const std::vector<Capability> list = [] {
    std::vector<Capability> out;
    for (const auto& entry : kNames) out.push_back(entry.first);
    return out;
  }();
  return list;
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
  return out.empty() ? "nothing" : out;
}

std::optional<CapabilitySet> parse_capabilities(std::string_view text, std::string* bad) {
  CapabilitySet set;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find_first_of(", ", start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(start, end - start);
    if (!word.empty()) {
      auto c = parse_capability(word);
      if (!c) {
        if (bad) *bad = std::string(word);
        return std::nullopt;
      }
      set.add(*c);
    }
    start = end + 1;
  }
  return set;
}

std::string_view to_string(Risk risk) {
  switch (risk) {
    case Risk::kRead:
      return "read";
    case Risk::kWrite:
      return "write";
    case Risk::kShell:
      return "shell";
    case Risk::kMerge:
      return "merge";
  }
  return "read";
}

std::optional<Risk> parse_risk(std::string_view text) {
  if (text == "read") return Risk::kRead;
  if (text == "write") return Risk::kWrite;
  if (text == "shell") return Risk::kShell;
  if (text == "merge") return Risk::kMerge;
  return std::nullopt;
}

CapabilitySet capabilities_for(Risk risk) {
  switch (risk) {
    case Risk::kRead:
      return {Capability::kRead};
    case Risk::kWrite:
      return {Capability::kRead, Capability::kWrite, Capability::kPatch};
    case Risk::kShell:
      return {Capability::kRead, Capability::kWrite, Capability::kPatch, Capability::kShell};
    case Risk::kMerge:
      return {Capability::kRead, Capability::kWrite, Capability::kPatch, Capability::kShell,
              Capability::kMerge};
  }
  return {Capability::kRead};
}

Risk risk_for(const CapabilitySet& needs) {
  if (needs.has(Capability::kMerge)) return Risk::kMerge;
  if (needs.has(Capability::kShell)) return Risk::kShell;
  if (needs.has(Capability::kWrite) || needs.has(Capability::kPatch)) return Risk::kWrite;
  return Risk::kRead;
}

}  // namespace omk::providers
