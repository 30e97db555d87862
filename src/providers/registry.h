#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "providers/adapter.h"

namespace omk::providers {

// Every provider omk knows, in the documented preference order: the write-capable CLIs first
// (codex, claude, kimi, qwen, gemini, opencode), then the read/review/advisory APIs (deepseek,
// moonshot, openrouter, openai-compatible).
const std::vector<const Adapter*>& adapters();

// By id or alias, case-insensitive and trimmed ("Claude", "claude-code", "ds"); nullptr when
// unknown. Policy names (auto, authority, ...) are not providers.
const Adapter* find_adapter(std::string_view id_or_alias);

// The ids, for messages ("codex, claude, ...").
std::string known_provider_ids();

// The order `authority` falls back to when nothing is configured: the write-capable CLIs.
const std::vector<std::string>& authority_order();

}  // namespace omk::providers
