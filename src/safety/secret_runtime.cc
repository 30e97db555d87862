#include "safety/secret_runtime.h"

#include <fmt/format.h>
#include <re2/re2.h>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/atomic_file.h"
#include "safety/env_names.h"
#include "safety/secret_detect.h"
#include "safety/secret_files.h"

namespace omk::safety {
namespace fs = std::filesystem;
namespace {

constexpr const char* kDescription =
    "MCP server env/header holds a literal secret instead of a ${VAR} reference";

// True when nothing but variable references and an auth scheme word is left in `value`.
bool is_reference(const std::string& value) {
  static const RE2 references(R"(\$\{(?:env:)?[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)");
  static const RE2 scheme(R"((?i)^\s*(?:bearer|basic|token)\s*)");
  std::string rest = value;
  RE2::GlobalReplace(&rest, references, "");
  RE2::Replace(&rest, scheme, "");
  return rest.find_first_not_of(" \t") == std::string::npos;
}

bool is_literal_secret(const std::string& name, const std::string& value) {
  if (value.empty() || is_reference(value)) return false;
  return is_secret_like_name(name) || is_secret_value(value);
}

struct Location {
  size_t line = 1;
  size_t column = 1;
};

Location locate(const std::string& text, const std::string& server, const std::string& key) {
  size_t from = text.find("\"" + server + "\"");
  size_t at = text.find("\"" + key + "\"", from == std::string::npos ? 0 : from);
  if (at == std::string::npos) return {};
  Location location;
  location.line = 1 + static_cast<size_t>(std::count(
                          text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  size_t line_start = text.rfind('\n', at);
  location.column = at - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
  return location;
}

class Checker {
 public:
  Checker(const fs::path& root, const std::set<std::string>& ignored, ScanStats& stats,
          std::vector<std::string>& warnings)
      : root_(root), ignored_(ignored), stats_(stats), warnings_(warnings) {}

  void json_file(const fs::path& file) {
    std::optional<std::string> text = read(file);
    if (!text) return;
    nlohmann::json document = nlohmann::json::parse(*text, nullptr, false);
    if (document.is_discarded()) {
      warnings_.push_back(
          fmt::format("{}: not valid JSON; its MCP servers were not checked", display(file)));
      return;
    }
    if (!document.is_object() || !document.contains("mcpServers")) return;
    const auto& servers = document["mcpServers"];
    if (!servers.is_object()) return;
    for (const auto& [server, config] : servers.items()) {
      if (!config.is_object()) continue;
      for (const char* field : {"env", "headers"}) {
        if (!config.contains(field) || !config[field].is_object()) continue;
        for (const auto& [key, value] : config[field].items()) {
          if (!value.is_string() || !is_literal_secret(key, value.get<std::string>())) continue;
          Location at = locate(*text, server, key);
          add(file, at.line, at.column,
              fmt::format("\"{}\": \"[REDACTED:{}]\"", key, kMcpLiteralSecretRule));
        }
      }
    }
  }

  void codex_toml(const fs::path& file) {
    std::optional<std::string> text = read(file);
    if (!text) return;
    toml::table table;
    try {
      table = toml::parse(*text, file.string());
    } catch (const toml::parse_error& error) {
      warnings_.push_back(fmt::format("{}:{}: not valid TOML; its MCP servers were not checked",
                                      display(file), error.source().begin.line));
      return;
    }
    const toml::table* servers = table["mcp_servers"].as_table();
    if (servers == nullptr) return;
    for (auto&& [name, node] : *servers) {
      const toml::table* server = node.as_table();
      if (server == nullptr) continue;
      if (const auto* bearer = server->get_as<std::string>("bearer_token")) {
        if (is_literal_secret("bearer_token", bearer->get())) {
          add(file, bearer->source().begin.line, bearer->source().begin.column,
              fmt::format("bearer_token = \"[REDACTED:{}]\"", kMcpLiteralSecretRule));
        }
      }
      for (const char* field : {"env", "http_headers"}) {
        const toml::table* values = server->get_as<toml::table>(field);
        if (values == nullptr) continue;
        for (auto&& [key, value] : *values) {
          const auto* text_value = value.as_string();
          if (text_value == nullptr ||
              !is_literal_secret(std::string(key.str()), text_value->get())) {
            continue;
          }
          add(file, value.source().begin.line, value.source().begin.column,
              fmt::format("{} = \"[REDACTED:{}]\"", key.str(), kMcpLiteralSecretRule));
        }
      }
    }
  }

  std::vector<SecretFinding> take() { return std::move(findings_); }

 private:
  std::optional<std::string> read(const fs::path& file) {
    try {
      return read_file_if_exists(file);
    } catch (const std::exception&) {
      warnings_.push_back(
          fmt::format("{}: cannot be read; its MCP servers were not checked", display(file)));
      return std::nullopt;
    }
  }

  std::string display(const fs::path& file) const { return display_path(file, root_); }

  void add(const fs::path& file, size_t line, size_t column, std::string excerpt) {
    SecretFinding finding;
    finding.path = to_valid_utf8(display(file));
    finding.line = line;
    finding.column = column;
    finding.end_line = line;
    finding.end_column = column;
    finding.rule = kMcpLiteralSecretRule;
    finding.description = kDescription;
    finding.fingerprint = fmt::format("{}:{}:{}", finding.path, finding.rule, line);
    finding.excerpt = to_valid_utf8(excerpt);
    if (ignored_.count(finding.fingerprint) != 0) {
      ++stats_.suppressed_ignored;
      return;
    }
    findings_.push_back(std::move(finding));
  }

  const fs::path& root_;
  const std::set<std::string>& ignored_;
  ScanStats& stats_;
  std::vector<std::string>& warnings_;
  std::vector<SecretFinding> findings_;
};

}  // namespace

std::vector<fs::path> runtime_scan_paths(const fs::path& root) {
  std::vector<fs::path> out;
  for (const char* name : {".omk", ".kimi", ".codex", ".claude", ".mcp.json"}) {
    std::error_code ec;
    if (fs::exists(root / name, ec)) out.push_back(root / name);
  }
  return out;
}

std::vector<SecretFinding> mcp_literal_secret_findings(const fs::path& root,
                                                       const std::set<std::string>& ignored,
                                                       ScanStats& stats,
                                                       std::vector<std::string>& warnings) {
  Checker checker(root, ignored, stats, warnings);
  for (const char* name : {".omk/mcp.json", ".kimi/mcp.json", ".mcp.json", ".claude/mcp.json",
                           ".claude/settings.json", ".claude/settings.local.json"}) {
    std::error_code ec;
    if (fs::is_regular_file(root / name, ec)) checker.json_file(root / name);
  }
  std::error_code ec;
  if (fs::is_regular_file(root / ".codex/config.toml", ec)) {
    checker.codex_toml(root / ".codex/config.toml");
  }
  return checker.take();
}

}  // namespace omk::safety
