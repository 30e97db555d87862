#include "mcp/server_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "mcp/url.h"

namespace omk::mcp {
namespace {

using json = omk::Json;

class EntryReader {
 public:
  EntryReader(ServerConfig& server, const json& entry) : server_(server), entry_(entry) {}

  void problem(std::string text) { server_.problems.push_back(std::move(text)); }

  std::optional<std::string> string(const char* key) {
    auto it = entry_.find(key);
    if (it == entry_.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) {
      problem(fmt::format("\"{}\" must be a string", key));
      return std::nullopt;
    }
    return it->get<std::string>();
  }

  std::optional<bool> boolean(const char* key) {
    auto it = entry_.find(key);
    if (it == entry_.end() || it->is_null()) return std::nullopt;
    if (!it->is_boolean()) {
      problem(fmt::format("\"{}\" must be true or false", key));
      return std::nullopt;
    }
    return it->get<bool>();
  }

  std::optional<int64_t> positive(const char* key) {
    auto it = entry_.find(key);
    if (it == entry_.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer() || it->get<int64_t>() <= 0) {
      problem(fmt::format("\"{}\" must be a positive whole number of milliseconds", key));
      return std::nullopt;
    }
    return it->get<int64_t>();
  }

  std::optional<std::vector<std::string>> strings(const char* key) {
    auto it = entry_.find(key);
    if (it == entry_.end() || it->is_null()) return std::nullopt;
    if (!it->is_array() ||
        !std::all_of(it->begin(), it->end(), [](const json& item) { return item.is_string(); })) {
      problem(fmt::format("\"{}\" must be an array of strings", key));
      return std::nullopt;
    }
    return it->get<std::vector<std::string>>();
  }

  std::map<std::string, std::string> string_map(const char* key) {
    auto it = entry_.find(key);
    if (it == entry_.end() || it->is_null()) return {};
    if (!it->is_object() ||
        !std::all_of(it->begin(), it->end(), [](const json& item) { return item.is_string(); })) {
      problem(fmt::format("\"{}\" must be an object of string values", key));
      return {};
    }
    return it->get<std::map<std::string, std::string>>();
  }

  bool has(const char* key) const {
    auto it = entry_.find(key);
    return it != entry_.end() && !it->is_null();
  }

 private:
  ServerConfig& server_;
  const json& entry_;
};

// "type"/"transport" as other clients write it. Legacy HTTP+SSE (2024-11-05) is not supported.
std::optional<TransportKind> declared_transport(const std::string& text, ServerConfig& server) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "stdio") return TransportKind::kStdio;
  if (lower == "http" || lower == "streamable-http" || lower == "streamablehttp" ||
      lower == "streamable_http") {
    return TransportKind::kHttp;
  }
  if (lower == "sse") {
    server.problems.push_back(
        "transport \"sse\" (the deprecated HTTP+SSE transport) is not supported; use the "
        "server's Streamable HTTP endpoint");
  } else {
    server.problems.push_back(
        "unknown transport in \"type\"; use \"stdio\" or \"http\" (Streamable HTTP)");
  }
  return std::nullopt;
}

void check_names(const std::map<std::string, std::string>& entries, const char* what,
                 ServerConfig& server) {
  for (const auto& [key, value] : entries) {
    if (what == std::string_view("env") && !is_env_name(key)) {
      server.problems.push_back(
          fmt::format("\"env\" has an entry whose name is not a variable "
                      "name (letters, digits, _; not starting with a digit)"));
      return;
    }
    if (value.find('\n') != std::string::npos || value.find('\r') != std::string::npos ||
        key.find_first_of("\r\n:") != std::string::npos) {
      server.problems.push_back(fmt::format("\"{}\" has an entry with a line break", what));
      return;
    }
  }
}

}  // namespace

std::string_view to_string(TransportKind transport) {
  switch (transport) {
    case TransportKind::kStdio:
      return "stdio";
    case TransportKind::kHttp:
      return "http";
    case TransportKind::kInvalid:
      return "invalid";
  }
  return "invalid";
}

bool ServerConfig::tool_allowed(std::string_view tool) const {
  if (enabled_tools &&
      std::find(enabled_tools->begin(), enabled_tools->end(), tool) == enabled_tools->end()) {
    return false;
  }
  return std::find(disabled_tools.begin(), disabled_tools.end(), tool) == disabled_tools.end();
}

bool is_env_name(std::string_view name) {
  if (name.empty()) return false;
  auto first = static_cast<unsigned char>(name.front());
  if (!(std::isalpha(first) || first == '_')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || c == '_';
  });
}

std::optional<std::string> env_reference(std::string_view value) {
  if (value.size() < 4 || value.substr(0, 2) != "${" || value.back() != '}') return std::nullopt;
  std::string_view name = value.substr(2, value.size() - 3);
  if (!is_env_name(name)) return std::nullopt;
  return std::string(name);
}

std::vector<std::string> env_references(std::string_view value) {
  std::vector<std::string> names;
  for (size_t at = value.find("${"); at != std::string_view::npos; at = value.find("${", at + 2)) {
    size_t end = value.find('}', at + 2);
    if (end == std::string_view::npos) break;
    std::string_view name = value.substr(at + 2, end - at - 2);
    if (is_env_name(name)) names.emplace_back(name);
  }
  return names;
}

std::optional<std::string> expand_references(
    std::string_view value,
    const std::function<std::optional<std::string>(const std::string&)>& resolve) {
  std::string out;
  size_t from = 0;
  for (size_t at = value.find("${"); at != std::string_view::npos; at = value.find("${", at + 2)) {
    size_t end = value.find('}', at + 2);
    if (end == std::string_view::npos) break;
    std::string name(value.substr(at + 2, end - at - 2));
    if (!is_env_name(name)) continue;
    auto resolved = resolve(name);
    if (!resolved) return std::nullopt;
    out.append(value.substr(from, at - from));
    out += *resolved;
    from = end + 1;
    at = end - 1;
  }
  out.append(value.substr(from));
  return out;
}

ServerConfig parse_server(const std::string& name, const json& entry, const ActiveFile& file,
                          std::vector<Diagnostic>& diagnostics) {
  ServerConfig server;
  server.name = name;
  server.source = file;
  server.defined_in = {file.display};
  if (!entry.is_object()) {
    server.problems.push_back("the entry must be an object");
  } else {
    EntryReader read(server, entry);
    std::optional<TransportKind> declared;
    if (auto type = read.string("type")) {
      declared = declared_transport(*type, server);
    } else if (auto transport = read.string("transport")) {
      declared = declared_transport(*transport, server);
    }
    server.command = read.string("command").value_or("");
    server.args = read.strings("args").value_or(std::vector<std::string>{});
    server.env = read.string_map("env");
    server.cwd = read.string("cwd");
    server.url = read.string("url").value_or("");
    server.headers = read.string_map("headers");
    server.bearer_token_env_var = read.string("bearerTokenEnvVar");
    if (auto enabled = read.boolean("enabled")) server.enabled = *enabled;
    if (auto disabled = read.boolean("disabled"); disabled && *disabled) server.enabled = false;
    server.required = read.boolean("required").value_or(false);
    server.startup_timeout_ms =
        read.positive("startupTimeoutMs").value_or(kDefaultStartupTimeoutMs);
    server.tool_timeout_ms = read.positive("toolTimeoutMs").value_or(kDefaultToolTimeoutMs);
    server.enabled_tools = read.strings("enabledTools");
    server.disabled_tools = read.strings("disabledTools").value_or(std::vector<std::string>{});
    check_names(server.env, "env", server);
    check_names(server.headers, "headers", server);

    bool has_command = !server.command.empty();
    bool has_url = !server.url.empty();
    if (has_command && has_url) {
      server.problems.push_back(
          "both \"command\" and \"url\" are set; a server is either a "
          "command (stdio) or a URL (Streamable HTTP)");
    } else if (!has_command && !has_url) {
      if (!read.has("command") && !read.has("url")) {
        server.problems.push_back("neither \"command\" nor \"url\" is set");
      } else if (server.problems.empty()) {
        server.problems.push_back("\"command\" or \"url\" is empty");
      }
    } else if (has_url) {
      auto parts = parse_url(server.url);
      if (!parts || (parts->scheme != "http" && parts->scheme != "https")) {
        server.problems.push_back("\"url\" is not an http:// or https:// URL");
      } else if (declared && *declared != TransportKind::kHttp) {
        server.problems.push_back("\"type\" says stdio but the entry has a \"url\"");
      }
    } else if (declared && *declared != TransportKind::kStdio) {
      server.problems.push_back("\"type\" says http but the entry has a \"command\"");
    }
    if (!has_command && (!server.args.empty() || !server.env.empty()) && has_url) {
      server.problems.push_back("\"args\"/\"env\" belong to stdio servers; this one has a \"url\"");
    }
    if (server.bearer_token_env_var && !is_env_name(*server.bearer_token_env_var)) {
      server.problems.push_back("\"bearerTokenEnvVar\" must be a variable name");
    }
    if (server.problems.empty())
      server.transport = has_url ? TransportKind::kHttp : TransportKind::kStdio;
  }
  for (const auto& problem : server.problems) {
    diagnostics.push_back({Level::kError, "mcp_server_invalid", file.display,
                           fmt::format("server \"{}\": {}", name, problem)});
  }
  return server;
}

ParsedMcpFile parse_mcp_text(std::string_view text, const ActiveFile& file,
                             std::vector<Diagnostic>& diagnostics) {
  ParsedMcpFile result;
  std::string where;
  auto parsed = parse_json_quietly(text, where);
  if (!parsed) {
    diagnostics.push_back(
        {Level::kError, "mcp_config_invalid_json", file.display, "invalid JSON at " + where});
    return result;
  }
  json document = std::move(*parsed);
  if (!document.is_object()) {
    diagnostics.push_back({Level::kError, "mcp_config_invalid", file.display,
                           "the file must hold a JSON object with \"mcpServers\""});
    return result;
  }
  result.parsed = true;
  auto servers = document.find("mcpServers");
  if (servers == document.end() || servers->is_null()) return result;
  if (!servers->is_object()) {
    diagnostics.push_back({Level::kError, "mcp_config_invalid", file.display,
                           "\"mcpServers\" must be an object of named servers"});
    return result;
  }
  for (const auto& [name, entry] : servers->items()) {
    result.servers.push_back(parse_server(name, entry, file, diagnostics));
  }
  return result;
}

}  // namespace omk::mcp
