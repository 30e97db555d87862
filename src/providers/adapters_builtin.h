#pragma once

#include <memory>

#include "providers/adapter.h"

// The built-in adapters, one file each (registry.cc owns the instances).
namespace omk::providers {

std::unique_ptr<Adapter> make_codex_adapter();
std::unique_ptr<Adapter> make_claude_adapter();
std::unique_ptr<Adapter> make_kimi_adapter();
std::unique_ptr<Adapter> make_qwen_adapter();
std::unique_ptr<Adapter> make_gemini_adapter();
std::unique_ptr<Adapter> make_opencode_adapter();
std::unique_ptr<Adapter> make_deepseek_adapter();
std::unique_ptr<Adapter> make_moonshot_adapter();
std::unique_ptr<Adapter> make_openrouter_adapter();
std::unique_ptr<Adapter> make_openai_compatible_adapter();

}  // namespace omk::providers
