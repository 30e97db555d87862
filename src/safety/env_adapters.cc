#include "safety/env_adapters.h"

namespace omk::safety {

const std::vector<AdapterEnvDeclaration>& adapter_env_declarations() {
  static const std::vector<AdapterEnvDeclaration> table = {
      {"claude",
       {"ANTHROPIC_BASE_URL"},
       {"ANTHROPIC_API_KEY"},
       "claude-code 2.1: `claude auth status` reports apiKeySource ANTHROPIC_API_KEY; "
       "ANTHROPIC_BASE_URL redirects it (peers.md)"},
      {"codex",
       {"CODEX_HOME", "OPENAI_BASE_URL"},
       {"OPENAI_API_KEY"},
       "codex 0.169: state in $CODEX_HOME; the original passes CODEX_BIN, OPENAI_API_KEY, "
       "OPENAI_BASE_URL (peers.md, runtime.md)"},
      {"deepseek",
       {"DEEPSEEK_MODEL"},
       {"DEEPSEEK_API_KEY"},
       "the original's DeepSeek API runtime (runtime.md)"},
      {"gemini",
       {"GOOGLE_GEMINI_BASE_URL", "GEMINI_CLI_TRUST_WORKSPACE"},
       {"GEMINI_API_KEY"},
       "gemini-cli 0.61: asks for GEMINI_API_KEY; honours GOOGLE_GEMINI_BASE_URL (peers.md)"},
      {"kimi",
       {"KIMI_BASE_URL", "KIMI_MODEL", "KIMI_BIN"},
       {"KIMI_API_KEY"},
       "the original's Kimi runner and API runtime (runtime.md)"},
      {"opencode", {"OPENCODE_BIN"}, {}, "the original's opencode adapter (runtime.md)"},
      {"qwen",
       {"OPENAI_BASE_URL", "OPENAI_MODEL"},
       {"OPENAI_API_KEY"},
       "qwen-code 0.24 with --auth-type openai reads OPENAI_BASE_URL, OPENAI_API_KEY, "
       "OPENAI_MODEL (peers.md)"},
  };
  return table;
}

const AdapterEnvDeclaration* find_adapter_env(std::string_view name) {
  for (const AdapterEnvDeclaration& adapter : adapter_env_declarations()) {
    if (adapter.name == name) return &adapter;
  }
  return nullptr;
}

}  // namespace omk::safety
