#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omk::providers {

// What a provider can be asked to do. A turn's risk decides which of these it needs; a provider
// that lacks one is never chosen for that turn.
enum class Capability : uint16_t {
  kRead = 1 << 0,
  kReview = 1 << 1,
  kWrite = 1 << 2,
  kPatch = 1 << 3,
  kShell = 1 << 4,
  kMerge = 1 << 5,
  kMcp = 1 << 6,
  kToolCalling = 1 << 7,
  kStreaming = 1 << 8,
};

// The names used in configuration, JSON and messages: read review write patch shell merge mcp
// toolCalling streaming.
std::string_view to_string(Capability capability);
std::optional<Capability> parse_capability(std::string_view name);
const std::vector<Capability>& all_capabilities();

class CapabilitySet {
 public:
  CapabilitySet() = default;
  CapabilitySet(std::initializer_list<Capability> list) {
    for (Capability c : list) add(c);
  }

  void add(Capability c) { bits_ |= static_cast<uint16_t>(c); }
  bool has(Capability c) const { return (bits_ & static_cast<uint16_t>(c)) != 0; }
  bool contains(const CapabilitySet& other) const { return (bits_ & other.bits_) == other.bits_; }
  bool empty() const { return bits_ == 0; }
  // What `other` has that this set lacks.
  CapabilitySet missing_from(const CapabilitySet& other) const {
    CapabilitySet result;
    result.bits_ = static_cast<uint16_t>(other.bits_ & ~bits_);
    return result;
  }
  // Whether anything here changes the workspace or runs commands (write, patch, shell, merge).
  bool write_capable() const;

  std::vector<std::string> names() const;  // in all_capabilities() order
  std::string joined() const;              // "write, shell"
  bool operator==(const CapabilitySet&) const = default;

 private:
  uint16_t bits_ = 0;
};

// "write,shell" (commas or spaces) → the set; nullopt names the first unknown entry in `bad`.
std::optional<CapabilitySet> parse_capabilities(std::string_view text, std::string* bad = nullptr);

// A turn's risk, as the routing layer infers it, and the capabilities it needs.
enum class Risk { kRead, kWrite, kShell, kMerge };
std::string_view to_string(Risk risk);
std::optional<Risk> parse_risk(std::string_view text);
CapabilitySet capabilities_for(Risk risk);
// The narrowest risk that covers `needs` (read when nothing write-capable is needed).
Risk risk_for(const CapabilitySet& needs);

}  // namespace omk::providers
