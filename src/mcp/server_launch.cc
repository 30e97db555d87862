#include "mcp/server_launch.h"

#include <fmt/format.h>

#include <algorithm>

#include "safety/env_policy.h"

#include "mcp/command_lookup.h"
#include "mcp/failure.h"
#include "mcp/http_transport.h"
#include "mcp/stdio_transport.h"
#include "sandbox/profile.h"

namespace omk::mcp {
namespace fs = std::filesystem;

LaunchContext::SandboxSettings LaunchContext::sandbox_for(const std::string& server) const {
  auto it = per_server.find(server);
  return it == per_server.end() ? SandboxSettings{} : it->second;
}

namespace {

fs::path expand_root(const std::string& text, const Locations& locations) {
  if ((text == "~" || text.rfind("~/", 0) == 0) && locations.home) {
    return *locations.home / text.substr(text.size() > 1 ? 2 : 1);
  }
  fs::path path(text);
  return path.is_absolute() ? path : locations.root / path;
}

// omk serving as an MCP server (the omk-project server) loads the secret rules at start; in its
// private HOME it would recompile them every time (0.3 s idle, seconds under load). It gets the
// user's compiled-rule cache as a read-only link instead: compiled databases, no secrets.
void share_rule_cache_with_omk(const fs::path& executable, const LaunchContext& context,
                               sandbox::SandboxRequest& request) {
  std::error_code ec;
  fs::path self = fs::canonical("/proc/self/exe", ec);
  if (ec || fs::canonical(executable, ec) != self || ec) return;
  auto home = env_value(context.parent_env, "HOME");
  if (!home || home->empty() || (*home)[0] != '/') return;
  // The child has no XDG_CACHE_HOME (the sandbox drops it) and looks in HOME/.cache/omk, so
  // only the default location can be shared.
  fs::path cache = fs::path(*home) / ".cache" / "omk";
  if (auto xdg = env_value(context.parent_env, "XDG_CACHE_HOME"); xdg && !xdg->empty()) {
    if ((fs::path(*xdg) / "omk").lexically_normal() != cache.lexically_normal()) return;
  }
  if (!fs::is_directory(cache, ec)) return;
  request.home_entries.push_back(
      {".cache/omk", sandbox::HomeEntry::Kind::kReadOnlyLink, /*required=*/false});
}

std::optional<std::string> resolve_value(const ServerConfig& server, const std::string& value,
                                         const LaunchContext& context, std::string& why) {
  return expand_references(value, [&](const std::string& name) -> std::optional<std::string> {
    if (!context.grants.granted(server.name, name)) {
      why = fmt::format("${{{}}} is not granted to it ([mcp.{}] grant)", name, server.name);
      return std::nullopt;
    }
    auto found = env_value(context.parent_env, name);
    if (!found) why = fmt::format("${{{}}} is not set", name);
    return found;
  });
}

}  // namespace

LaunchContext launch_context(const Locations& locations, const Config& config, const EnvMap& env) {
  LaunchContext context;
  context.locations = locations;
  context.parent_env = env;
  context.grants = inventory_query(locations, config, env).grants;
  for (const std::string& name : config.tables("mcp")) {
    context.per_server[name] = {config.string("mcp." + name + ".sandbox"),
                                config.boolean("mcp." + name + ".network")};
  }
  for (const auto& text : config.strings("sandbox.readable_roots")) {
    context.readable_roots.push_back(expand_root(text, locations));
  }
  context.require_sandbox = config.boolean("sandbox.require");
  context.env_policy = safety::env_policy_from_config(config, env);
  return context;
}

EnvMap server_environment(const ServerConfig& server, const LaunchContext& context,
                          std::vector<std::string>& notes) {
  EnvMap explicit_env;
  safety::EnvPolicy policy = context.env_policy;
  policy.explicit_context = fmt::format("MCP server \"{}\" env", server.name);
  auto granted = context.grants.per_server.find(server.name);
  if (granted != context.grants.per_server.end()) {
    policy.grant_secrets.insert(policy.grant_secrets.end(), granted->second.begin(),
                                granted->second.end());
  }
  for (const auto& [key, value] : server.env) {
    std::string why;
    auto resolved = resolve_value(server, value, context, why);
    if (!resolved) {
      notes.push_back(fmt::format("server \"{}\": env {} not passed: {}", server.name, key, why));
      continue;
    }
    explicit_env[key] = *resolved;
    // The value came through a grant: the key that carries it is granted too.
    if (!env_references(value).empty()) policy.grant_secrets.push_back(key);
  }
  safety::ChildEnv child = safety::build_child_env(context.parent_env, explicit_env, {}, policy);
  for (const auto& dropped : child.dropped) {
    if (dropped.source != safety::EnvSource::kExplicit) continue;
    notes.push_back(fmt::format("server \"{}\": env {} not passed ({})", server.name, dropped.name,
                                safety::to_string(dropped.reason)));
  }
  // The run metadata variables mean nothing to an MCP server (it is not a run).
  for (const char* name : {"OMK_RUN_ID", "OMK_NODE_ID", "OMK_NODE_ROLE"}) child.env.erase(name);
  return child.env;
}

McpClient::TransportFactory transport_factory(const ServerConfig& server,
                                              const LaunchContext& context,
                                              std::vector<std::string>& notes) {
  if (server.transport == TransportKind::kInvalid) {
    throw McpError(
        FailureCategory::kConfigInvalid,
        fmt::format("server \"{}\" is invalid: {}", server.name,
                    server.problems.empty() ? "see omk mcp doctor" : server.problems[0]));
  }
  if (server.transport == TransportKind::kHttp) {
    HttpEndpoint endpoint;
    endpoint.url = server.url;
    for (const auto& [name, value] : server.headers) {
      std::string why;
      auto resolved = resolve_value(server, value, context, why);
      if (!resolved) {
        notes.push_back(
            fmt::format("server \"{}\": header {} not sent: {}", server.name, name, why));
        continue;
      }
      endpoint.headers.emplace_back(name, *resolved);
    }
    if (server.bearer_token_env_var) {
      const std::string& name = *server.bearer_token_env_var;
      auto token = context.grants.granted(server.name, name) ? env_value(context.parent_env, name)
                                                             : std::nullopt;
      if (token) {
        endpoint.headers.emplace_back("Authorization", "Bearer " + *token);
      } else {
        notes.push_back(fmt::format("server \"{}\": no bearer token: {} is {}", server.name, name,
                                    context.grants.granted(server.name, name)
                                        ? "not set"
                                        : "not granted to it ([mcp." + server.name + "] grant)"));
      }
    }
    return [endpoint] { return std::make_unique<HttpTransport>(endpoint); };
  }

  fs::path base = server_base_dir(server, context.locations);
  fs::path cwd = base;
  if (server.cwd)
    cwd = fs::path(*server.cwd).is_relative() ? base / *server.cwd : fs::path(*server.cwd);
  auto executable =
      find_executable(server.command, env_value(context.parent_env, "PATH").value_or(""), cwd);
  if (!executable) {
    throw McpError(FailureCategory::kCommandNotFound,
                   fmt::format("server \"{}\": command \"{}\" was not found", server.name,
                               fs::path(server.command).filename().string()));
  }
  StdioLaunch launch;
  launch.argv.push_back(executable->string());
  launch.argv.insert(launch.argv.end(), server.args.begin(), server.args.end());
  launch.env = server_environment(server, context, notes);
  launch.cwd = cwd;
  auto settings = context.sandbox_for(server.name);
  auto profile = sandbox::parse_profile(settings.profile).value_or(sandbox::Profile::kReadOnly);
  sandbox::SandboxRequest request;
  request.profile = profile;
  request.allow_network = settings.network;
  request.workspace = context.locations.root;
  request.readable_roots = context.readable_roots;
  if (!context.locations.root.empty() && cwd != context.locations.root) {
    request.readable_roots.push_back(cwd);
  }
  // The program itself must be readable wherever it is installed (a build tree, ~/bin): the
  // directory it is named in (node_modules/.bin holds symlinks) and the one it really lives in.
  std::error_code ec;
  fs::path named_dir = executable->lexically_normal().parent_path();
  if (named_dir.is_absolute()) {
    // An npm-installed server (node_modules/.bin/x) imports its dependencies from the whole
    // node_modules tree it was installed into.
    bool npm_bin =
        named_dir.filename() == ".bin" && named_dir.parent_path().filename() == "node_modules";
    request.readable_roots.push_back(npm_bin ? named_dir.parent_path() : named_dir);
  }
  fs::path real = fs::canonical(*executable, ec);
  if (!ec && real.parent_path() != named_dir) request.readable_roots.push_back(real.parent_path());
  request.original_home = env_value(context.parent_env, "HOME").value_or("");
  share_rule_cache_with_omk(*executable, context, request);
  request.scratch_base = env_value(context.parent_env, "TMPDIR").value_or("/tmp");
  request.require = context.require_sandbox;
  launch.sandbox = request;
  return [launch] { return std::make_unique<StdioTransport>(launch); };
}

}  // namespace omk::mcp
