#pragma once

#include <array>
#include <string_view>

namespace omk::mcp {

// The stateless revision: no initialize handshake, per-request _meta, server/discover.
constexpr std::string_view kModernProtocolVersion = "2026-07-28";
// Handshake revisions omk speaks, newest first; the first is what omk asks for.
constexpr std::array<std::string_view, 4> kLegacyProtocolVersions = {"2025-11-25", "2025-06-18",
                                                                     "2025-03-26", "2024-11-05"};

inline bool is_supported_legacy_version(std::string_view version) {
  for (auto known : kLegacyProtocolVersions) {
    if (known == version) return true;
  }
  return false;
}

constexpr std::string_view kMetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
constexpr std::string_view kMetaClientInfo = "io.modelcontextprotocol/clientInfo";
constexpr std::string_view kMetaClientCapabilities = "io.modelcontextprotocol/clientCapabilities";
constexpr std::string_view kMetaServerInfo = "io.modelcontextprotocol/serverInfo";

}  // namespace omk::mcp
