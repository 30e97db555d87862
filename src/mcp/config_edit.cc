#include "mcp/config_edit.h"

#include <fmt/format.h>

#include <system_error>

#include "core/atomic_file.h"
#include "core/error.h"
#include "mcp/command_lookup.h"
#include "mcp/diagnostic.h"
#include "mcp/file_read.h"

namespace omk::mcp {
namespace fs = std::filesystem;

McpDocument McpDocument::open(const fs::path& path, const std::string& display) {
  McpDocument doc;
  doc.path_ = path;
  doc.display_ = display;
  FileText read = read_tool_plane_file(path);
  if (read.exists && !read.text) {
    throw usage_error(
        fmt::format("cannot edit {}: it is {}; fix its permissions first", display, read.error));
  }
  if (read.text) {
    std::string where;
    auto parsed = parse_json_quietly(*read.text, where);
    if (!parsed) {
      throw usage_error(fmt::format(
          "cannot edit {}: invalid JSON at {}; fix it (nothing was changed)", display, where));
    }
    doc.document_ = std::move(*parsed);
    if (!doc.document_.is_object()) {
      throw usage_error(fmt::format(
          "cannot edit {}: it is not a JSON object; fix it (nothing was changed)", display));
    }
    auto servers = doc.document_.find("mcpServers");
    if (servers != doc.document_.end() && !servers->is_null() && !servers->is_object()) {
      throw usage_error(fmt::format(
          "cannot edit {}: \"mcpServers\" is not an object; fix it (nothing was changed)",
          display));
    }
  }
  if (!doc.document_.contains("mcpServers") || doc.document_["mcpServers"].is_null()) {
    doc.document_["mcpServers"] = Json::object();
  }
  return doc;
}

bool McpDocument::has_server(const std::string& name) const {
  return document_["mcpServers"].contains(name);
}

std::vector<std::string> McpDocument::server_names() const {
  std::vector<std::string> names;
  for (const auto& [name, entry] : document_["mcpServers"].items()) names.push_back(name);
  return names;
}

void McpDocument::set_server(const std::string& name, Json entry) {
  document_["mcpServers"][name] = std::move(entry);
}

bool McpDocument::remove_server(const std::string& name) {
  return document_["mcpServers"].erase(name) > 0;
}

void McpDocument::save() const {
  std::error_code ec;
  fs::create_directories(path_.parent_path(), ec);
  write_file_atomic(path_, document_.dump(2) + "\n", 0644);
}

Json server_entry(const NewServer& server) {
  Json entry = Json::object();
  if (!server.url.empty()) {
    entry["url"] = server.url;
    if (!server.headers.empty()) entry["headers"] = server.headers;
    if (server.bearer_token_env_var) entry["bearerTokenEnvVar"] = *server.bearer_token_env_var;
  } else {
    entry["command"] = server.command;
    entry["args"] = server.args;
    if (!server.env.empty()) entry["env"] = server.env;
  }
  if (server.required) entry["required"] = true;
  return entry;
}

Json omk_project_entry(const std::string& omk_command) {
  return Json{{"command", omk_command}, {"args", {"mcp", "serve", "omk-project"}}};
}

std::string baseline_project_mcp_json(const std::string& omk_command) {
  Json document = Json::object();
  document["mcpServers"] = Json::object();
  document["mcpServers"]["omk-project"] = omk_project_entry(omk_command);
  return document.dump(2) + "\n";
}

std::string omk_self_command(const std::string& path_variable) {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "omk";
  if (auto on_path = find_executable("omk", path_variable, fs::path("/"))) {
    if (fs::equivalent(*on_path, self, ec)) return "omk";
  }
  return self.string();
}

}  // namespace omk::mcp
