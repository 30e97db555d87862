#include "providers/mcp_materialise.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/error.h"
#include "safety/env_names.h"
#include "safety/secret_detect.h"

namespace omk::providers {
namespace {

// A literal (no ${NAME} inside) that is a secret, by its value or by its key's name.
bool literal_secret(const std::string& key, const std::string& value) {
  if (!mcp::env_references(value).empty()) return false;
  return safety::is_secret_value(value) || (safety::is_secret_like_name(key) && value.size() >= 8);
}

std::string command_of(const mcp::ServerConfig& server) {
  return server.resolved_command.value_or(server.command);
}

std::string opencode_value(const std::string& value) {
  std::string out;
  size_t at = 0;
  while (at < value.size()) {
    size_t open = value.find("${", at);
    size_t close = open == std::string::npos ? std::string::npos : value.find('}', open);
    if (close == std::string::npos) {
      out += value.substr(at);
      break;
    }
    out += value.substr(at, open - at);
    out += "{env:" + value.substr(open + 2, close - open - 2) + "}";
    at = close + 1;
  }
  return out;
}

}  // namespace

ScopedServers scope_servers(const mcp::ToolPlaneInventory& inventory,
                            const std::vector<std::string>& names,
                            const mcp::ServerGrants& grants) {
  ScopedServers scoped;
  std::set<std::string> granted;
  for (const std::string& name : names) {
    const mcp::ServerConfig* found = inventory.find_server(name);
    if (found == nullptr || !found->enabled || found->transport == mcp::TransportKind::kInvalid) {
      throw policy_error(fmt::format(
          "MCP server '{}' is not an enabled server of this project's tool plane (scope {}); "
          "an agent is never given servers outside the scope: see `omk mcp list`",
          name, to_string(inventory.scopes.mcp)));
    }
    mcp::ServerConfig server = *found;
    auto keep = [&](std::map<std::string, std::string>& values, const char* what) {
      for (auto it = values.begin(); it != values.end();) {
        bool drop = false;
        if (literal_secret(it->first, it->second)) {
          scoped.notes.push_back(fmt::format(
              "MCP server '{}': {} '{}' holds a literal secret; not copied into the agent's "
              "config (reference a granted variable as ${{NAME}} instead)",
              name, what, it->first));
          drop = true;
        }
        for (const std::string& variable : mcp::env_references(it->second)) {
          if (grants.granted(name, variable)) {
            granted.insert(variable);
          } else if (!drop) {
            scoped.notes.push_back(fmt::format(
                "MCP server '{}': {} '{}' references ${{{}}}, which is not granted to it "
                "([mcp.{}] grant); dropped",
                name, what, it->first, variable, name));
            drop = true;
          }
        }
        it = drop ? values.erase(it) : std::next(it);
      }
    };
    keep(server.env, "env");
    keep(server.headers, "header");
    if (server.bearer_token_env_var) {
      if (grants.granted(name, *server.bearer_token_env_var)) {
        granted.insert(*server.bearer_token_env_var);
      } else {
        scoped.notes.push_back(
            fmt::format("MCP server '{}': bearerTokenEnvVar {} is not granted to it; dropped", name,
                        *server.bearer_token_env_var));
        server.bearer_token_env_var.reset();
      }
    }
    scoped.servers.push_back(std::move(server));
  }
  scoped.granted_variables.assign(granted.begin(), granted.end());
  return scoped;
}

Json mcp_servers_common(const std::vector<mcp::ServerConfig>& servers) {
  Json map = Json::object();
  for (const mcp::ServerConfig& server : servers) {
    Json entry = Json::object();
    if (server.transport == mcp::TransportKind::kStdio) {
      entry["command"] = command_of(server);
      entry["args"] = server.args;
      Json env = Json::object();
      for (const auto& [key, value] : server.env) env[key] = value;
      entry["env"] = env;
      if (server.cwd) entry["cwd"] = *server.cwd;
    } else {
      entry["type"] = "http";
      entry["url"] = server.url;
      Json headers = Json::object();
      for (const auto& [key, value] : server.headers) headers[key] = value;
      if (server.bearer_token_env_var) {
        headers["Authorization"] = "Bearer ${" + *server.bearer_token_env_var + "}";
      }
      entry["headers"] = headers;
    }
    map[server.name] = entry;
  }
  return Json{{"mcpServers", map}};
}

Json mcp_servers_gemini(const std::vector<mcp::ServerConfig>& servers) {
  Json common = mcp_servers_common(servers)["mcpServers"];
  for (auto& [name, entry] : common.items()) {
    if (entry.contains("url")) {
      entry["httpUrl"] = entry["url"];
      entry.erase("url");
      entry.erase("type");
    }
  }
  return common;
}

Json mcp_servers_opencode(const std::vector<mcp::ServerConfig>& servers) {
  Json map = Json::object();
  for (const mcp::ServerConfig& server : servers) {
    Json entry = Json::object();
    if (server.transport == mcp::TransportKind::kStdio) {
      entry["type"] = "local";
      Json command = Json::array({command_of(server)});
      for (const std::string& arg : server.args) command.push_back(arg);
      entry["command"] = command;
      Json env = Json::object();
      for (const auto& [key, value] : server.env) env[key] = opencode_value(value);
      entry["environment"] = env;
    } else {
      entry["type"] = "remote";
      entry["url"] = server.url;
      Json headers = Json::object();
      for (const auto& [key, value] : server.headers) headers[key] = opencode_value(value);
      if (server.bearer_token_env_var) {
        headers["Authorization"] = "Bearer {env:" + *server.bearer_token_env_var + "}";
      }
      entry["headers"] = headers;
    }
    entry["enabled"] = true;
    map[server.name] = entry;
  }
  return map;
}

std::string toml_string(const std::string& value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04X}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string toml_string_array(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ",";
    out += toml_string(values[i]);
  }
  return out + "]";
}

std::vector<std::string> mcp_servers_codex(const std::vector<mcp::ServerConfig>& servers,
                                           std::vector<std::string>& notes) {
  std::vector<std::string> args;
  for (const mcp::ServerConfig& server : servers) {
    // A server name is a TOML key segment: quote it.
    std::string key = "mcp_servers." + toml_string(server.name);
    auto set = [&](const std::string& field, const std::string& value) {
      args.push_back("-c");
      args.push_back(key + "." + field + "=" + value);
    };
    if (server.transport == mcp::TransportKind::kStdio) {
      set("command", toml_string(command_of(server)));
      set("args", toml_string_array(server.args));
      std::vector<std::string> pass_through;
      std::string literal_env;
      for (const auto& [name, value] : server.env) {
        auto refs = mcp::env_references(value);
        if (refs.empty()) {
          literal_env +=
              (literal_env.empty() ? "" : ",") + toml_string(name) + "=" + toml_string(value);
        } else if (refs.size() == 1 && refs[0] == name && value == "${" + name + "}") {
          pass_through.push_back(name);
        } else {
          notes.push_back(fmt::format(
              "MCP server '{}': env '{}' cannot be expressed for Codex (it passes variables by "
              "their own name); dropped",
              server.name, name));
        }
      }
      if (!pass_through.empty()) set("env_vars", toml_string_array(pass_through));
      if (!literal_env.empty()) set("env", "{" + literal_env + "}");
      if (server.cwd) set("cwd", toml_string(*server.cwd));
    } else {
      set("url", toml_string(server.url));
      if (server.bearer_token_env_var) {
        set("bearer_token_env_var", toml_string(*server.bearer_token_env_var));
      }
      std::string literal_headers, env_headers;
      for (const auto& [name, value] : server.headers) {
        auto refs = mcp::env_references(value);
        if (refs.empty()) {
          literal_headers +=
              (literal_headers.empty() ? "" : ",") + toml_string(name) + "=" + toml_string(value);
        } else if (refs.size() == 1 && value == "${" + refs[0] + "}") {
          env_headers +=
              (env_headers.empty() ? "" : ",") + toml_string(name) + "=" + toml_string(refs[0]);
        } else {
          notes.push_back(fmt::format(
              "MCP server '{}': header '{}' mixes text and a reference, which Codex cannot "
              "express; dropped",
              server.name, name));
        }
      }
      if (!literal_headers.empty()) set("http_headers", "{" + literal_headers + "}");
      if (!env_headers.empty()) set("env_http_headers", "{" + env_headers + "}");
    }
    if (server.required) set("required", "true");
    set("startup_timeout_sec",
        std::to_string(std::max<int64_t>(1, server.startup_timeout_ms / 1000)));
  }
  return args;
}

}  // namespace omk::providers
