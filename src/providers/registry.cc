#include "providers/registry.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include "providers/adapters_builtin.h"

namespace omk::providers {
namespace {

const std::vector<std::unique_ptr<Adapter>>& owned() {
  static const std::vector<std::unique_ptr<Adapter>> list = [] {
    std::vector<std::unique_ptr<Adapter>> out;
    out.push_back(make_codex_adapter());
    out.push_back(make_claude_adapter());
    out.push_back(make_kimi_adapter());
    out.push_back(make_qwen_adapter());
    out.push_back(make_gemini_adapter());
    out.push_back(make_opencode_adapter());
    out.push_back(make_deepseek_adapter());
    out.push_back(make_moonshot_adapter());
    out.push_back(make_openrouter_adapter());
    out.push_back(make_openai_compatible_adapter());
    return out;
  }();
  return list;
}

std::string normalized(std::string_view text) {
  size_t start = text.find_first_not_of(" \t");
  size_t end = text.find_last_not_of(" \t");
  if (start == std::string_view::npos) return "";
  std::string out(text.substr(start, end - start + 1));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

const std::vector<const Adapter*>& adapters() {
  static const std::vector<const Adapter*> list = [] {
    std::vector<const Adapter*> out;
    for (const auto& adapter : owned()) out.push_back(adapter.get());
    return out;
  }();
  return list;
}

const Adapter* find_adapter(std::string_view id_or_alias) {
  std::string name = normalized(id_or_alias);
  if (name.empty()) return nullptr;
  for (const Adapter* adapter : adapters()) {
    if (adapter->id() == name) return adapter;
    const auto& aliases = adapter->spec().aliases;
    if (std::find(aliases.begin(), aliases.end(), name) != aliases.end()) return adapter;
  }
  return nullptr;
}

std::string known_provider_ids() {
  std::string out;
  for (const Adapter* adapter : adapters()) {
    if (!out.empty()) out += ", ";
    out += adapter->id();
  }
  return out;
}

const std::vector<std::string>& authority_order() {
  static const std::vector<std::string> order = {"codex", "claude", "kimi",
                                                 "qwen",  "gemini", "opencode"};
  return order;
}

}  // namespace omk::providers
