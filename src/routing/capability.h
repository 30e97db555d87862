#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omk::routing {

// What a runtime can be asked to do. The same names and bits as providers::Capability (the
// providers layer lands separately); when it does, these become aliases of its types.
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

// read review write patch shell merge mcp toolCalling streaming
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
  std::string joined() const;              // "write, patch"
  bool operator==(const CapabilitySet&) const = default;

 private:
  uint16_t bits_ = 0;
};

}  // namespace omk::routing
