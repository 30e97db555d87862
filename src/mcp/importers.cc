#include "mcp/importers.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/error.h"
#include "mcp/file_read.h"
#include "mcp/scopes.h"
#include "mcp/server_config.h"

namespace omk::mcp {
namespace fs = std::filesystem;

std::optional<ImportSource> parse_import_source(std::string_view text) {
  if (text == "codex") return ImportSource::kCodex;
  if (text == "claude") return ImportSource::kClaude;
  if (text == "kimi") return ImportSource::kKimi;
  return std::nullopt;
}

std::string_view to_string(ImportSource source) {
  switch (source) {
    case ImportSource::kCodex:
      return "codex";
    case ImportSource::kClaude:
      return "claude";
    case ImportSource::kKimi:
      return "kimi";
  }
  return "codex";
}

fs::path default_import_file(ImportSource source, const Locations& locations) {
  fs::path home = locations.home.value_or(fs::path());
  std::error_code ec;
  switch (source) {
    case ImportSource::kCodex: {
      fs::path project = locations.root / ".codex/config.toml";
      return fs::exists(project, ec) ? project : home / ".codex/config.toml";
    }
    case ImportSource::kClaude: {
      fs::path project = locations.root / ".mcp.json";
      return fs::exists(project, ec) ? project : home / ".claude.json";
    }
    case ImportSource::kKimi:
      return home / ".kimi/mcp.json";
  }
  return {};
}

namespace {

std::string read_input(const fs::path& file, const std::string& display) {
  FileText read = read_tool_plane_file(file);
  if (!read.exists) {
    throw usage_error(
        fmt::format("cannot import: {} does not exist; name the file with --file", display));
  }
  if (!read.text) throw usage_error(fmt::format("cannot import: {} is {}", display, read.error));
  return *read.text;
}

// Codex: [mcp_servers.<name>] with command/args/env/env_vars/cwd or url/http_headers/
// env_http_headers/bearer_token_env_var, enabled, required, *_timeout_sec, enabled_tools,
// disabled_tools.
class CodexConverter {
 public:
  explicit CodexConverter(ImportPlan& plan) : plan_(plan) {}

  void convert(const std::string& name, const toml::table& table) {
    Json entry = Json::object();
    problem_.clear();
    if (auto command = text(table, "command")) entry["command"] = *command;
    if (auto args = strings(table, "args")) entry["args"] = *args;
    Json env = Json::object();
    if (auto env_table = map(table, "env")) env = *env_table;
    if (auto names = strings(table, "env_vars")) {
      for (const auto& variable : *names) env[variable] = "${" + variable + "}";
    }
    if (!env.empty()) entry["env"] = env;
    if (auto cwd = text(table, "cwd")) entry["cwd"] = *cwd;
    if (auto url = text(table, "url")) entry["url"] = *url;
    Json headers = Json::object();
    if (auto literal = map(table, "http_headers")) headers = *literal;
    if (auto from_env = map(table, "env_http_headers")) {
      for (auto& [header, variable] : from_env->items()) {
        headers[header] = "${" + variable.get<std::string>() + "}";
      }
    }
    if (!headers.empty()) entry["headers"] = headers;
    if (auto token = text(table, "bearer_token_env_var")) entry["bearerTokenEnvVar"] = *token;
    if (auto enabled = table.get_as<bool>("enabled")) entry["enabled"] = enabled->get();
    if (auto required = table.get_as<bool>("required")) entry["required"] = required->get();
    if (auto ms = seconds_as_ms(table, "startup_timeout_sec")) entry["startupTimeoutMs"] = *ms;
    if (auto ms = seconds_as_ms(table, "tool_timeout_sec")) entry["toolTimeoutMs"] = *ms;
    if (auto tools = strings(table, "enabled_tools")) entry["enabledTools"] = *tools;
    if (auto tools = strings(table, "disabled_tools")) entry["disabledTools"] = *tools;
    if (!problem_.empty()) {
      plan_.skipped.push_back({name, problem_});
      return;
    }
    plan_.servers.push_back({name, entry});
  }

 private:
  std::optional<std::string> text(const toml::table& table, const char* key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::nullopt;
    if (auto value = node->value_exact<std::string>()) return *value;
    problem_ = fmt::format("\"{}\" is not a string", key);
    return std::nullopt;
  }

  std::optional<std::vector<std::string>> strings(const toml::table& table, const char* key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::nullopt;
    std::vector<std::string> out;
    const toml::array* array = node->as_array();
    if (array != nullptr) {
      for (const toml::node& item : *array) {
        auto value = item.value_exact<std::string>();
        if (!value) break;
        out.push_back(*value);
      }
      if (out.size() == array->size()) return out;
    }
    problem_ = fmt::format("\"{}\" is not an array of strings", key);
    return std::nullopt;
  }

  std::optional<Json> map(const toml::table& table, const char* key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::nullopt;
    Json out = Json::object();
    if (const toml::table* inner = node->as_table()) {
      bool ok = true;
      for (const auto& [k, v] : *inner) {
        auto value = v.value_exact<std::string>();
        if (!value) ok = false;
        out[std::string(k.str())] = value.value_or("");
      }
      if (ok) return out;
    }
    problem_ = fmt::format("\"{}\" is not a table of strings", key);
    return std::nullopt;
  }

  std::optional<int64_t> seconds_as_ms(const toml::table& table, const char* key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::nullopt;
    if (auto value = node->value<double>(); value && *value > 0) {
      return static_cast<int64_t>(*value * 1000);
    }
    problem_ = fmt::format("\"{}\" is not a positive number", key);
    return std::nullopt;
  }

  ImportPlan& plan_;
  std::string problem_;
};

ImportPlan read_codex(const std::string& text, const std::string& display) {
  toml::table table;
  try {
    table = toml::parse(text);
  } catch (const toml::parse_error& e) {
    throw usage_error(fmt::format("cannot import: {} is not valid TOML (line {}, column {})",
                                  display, e.source().begin.line, e.source().begin.column));
  }
  ImportPlan plan;
  const toml::node* servers = table.get("mcp_servers");
  if (servers == nullptr) return plan;
  const toml::table* list = servers->as_table();
  if (list == nullptr) {
    throw usage_error(fmt::format("cannot import: {}: mcp_servers is not a table", display));
  }
  CodexConverter converter(plan);
  for (const auto& [name, node] : *list) {
    if (const toml::table* server = node.as_table()) {
      converter.convert(std::string(name.str()), *server);
    } else {
      plan.skipped.push_back({std::string(name.str()), "not a table"});
    }
  }
  return plan;
}

// Claude (.mcp.json, ~/.claude.json) and Kimi (mcp.json) use the common JSON shape; Claude's
// "type" is kept, and ~/.claude.json also holds per-project servers.
ImportPlan read_json_shape(const std::string& text, const std::string& display,
                           const Locations& locations, bool claude) {
  std::string where;
  auto parsed = parse_json_quietly(text, where);
  if (!parsed) {
    throw usage_error(fmt::format("cannot import: {} is not valid JSON ({})", display, where));
  }
  Json document = std::move(*parsed);
  if (!document.is_object()) {
    throw usage_error(fmt::format("cannot import: {} is not a JSON object", display));
  }
  Json servers = Json::object();
  auto add_from = [&](const Json& holder) {
    auto it = holder.find("mcpServers");
    if (it == holder.end() || !it->is_object()) return;
    for (const auto& [name, entry] : it->items()) servers[name] = entry;
  };
  add_from(document);
  if (claude) {
    auto projects = document.find("projects");
    if (projects != document.end() && projects->is_object()) {
      auto project = projects->find(locations.root.string());
      if (project != projects->end() && project->is_object()) add_from(*project);
    }
  }
  ImportPlan plan;
  for (const auto& [name, entry] : servers.items()) plan.servers.push_back({name, entry});
  return plan;
}

// Every converted entry must be one omk can run; the others are skipped with the reason.
ImportPlan validated(ImportPlan plan, const std::string& display) {
  ImportPlan out;
  out.skipped = std::move(plan.skipped);
  ActiveFile file{fs::path(display), display, Origin::kProject};
  for (ImportedServer& server : plan.servers) {
    std::vector<Diagnostic> problems;
    ServerConfig parsed = parse_server(server.name, server.entry, file, problems);
    if (parsed.transport == TransportKind::kInvalid) {
      out.skipped.push_back(
          {server.name, parsed.problems.empty() ? "invalid" : parsed.problems.front()});
      continue;
    }
    server.entry.erase("type");  // omk infers the transport from command/url
    out.servers.push_back(std::move(server));
  }
  return out;
}

}  // namespace

ImportPlan read_import(ImportSource source, const fs::path& file, const std::string& display,
                       const Locations& locations) {
  std::string text = read_input(file, display);
  switch (source) {
    case ImportSource::kCodex:
      return validated(read_codex(text, display), display);
    case ImportSource::kClaude:
      return validated(read_json_shape(text, display, locations, true), display);
    case ImportSource::kKimi:
      return validated(read_json_shape(text, display, locations, false), display);
  }
  return {};
}

}  // namespace omk::mcp
