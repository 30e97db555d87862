#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json_output.h"

namespace omk::mcp {

// An MCP config file opened for editing. Keys omk does not know (a "_comment", other clients'
// settings) and the order of entries are kept. A file that does not parse is never rewritten:
// opening it throws a UserError naming it.
class McpDocument {
 public:
  static McpDocument open(const std::filesystem::path& path, const std::string& display);

  bool has_server(const std::string& name) const;
  std::vector<std::string> server_names() const;
  void set_server(const std::string& name, Json entry);
  bool remove_server(const std::string& name);
  // Atomic: a reader sees the old file or the new one, never half of it.
  void save() const;

  const std::string& display() const { return display_; }

 private:
  std::filesystem::path path_;
  std::string display_;
  Json document_ = Json::object();
};

// The entries `omk mcp add` writes, in the common {"mcpServers": …} shape.
struct NewServer {
  std::string command;
  std::vector<std::string> args;
  std::string url;
  std::map<std::string, std::string> env;
  std::map<std::string, std::string> headers;
  std::optional<std::string> bearer_token_env_var;
  bool required = false;
};
Json server_entry(const NewServer& server);

// The built-in omk-project server as `omk init` registers it.
Json omk_project_entry(const std::string& omk_command);
// The whole .kimi/mcp.json `omk init` writes.
std::string baseline_project_mcp_json(const std::string& omk_command);

// How to start this omk again from a config file: "omk" when that name on PATH is this very
// binary, else this binary's absolute path (a build tree, a non-PATH install).
std::string omk_self_command(const std::string& path_variable);

}  // namespace omk::mcp
