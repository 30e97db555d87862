// `omk mcp add|remove|import`: the commands that write MCP config files.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/mcp_support.h"
#include "core/error.h"
#include "core/output.h"
#include "mcp/config_edit.h"
#include "mcp/importers.h"
#include "mcp/secret_checks.h"
#include "mcp/server_config.h"

namespace omk::cli {
namespace fs = std::filesystem;
namespace {

struct EditTarget {
  fs::path path;
  std::string display;
};

EditTarget target_for(const std::string& scope, const McpSetting& setting) {
  if (scope == "user") {
    if (!setting.locations.home) {
      throw usage_error("--scope user needs HOME to be set");
    }
    fs::path path = mcp::user_mcp_file(setting.locations);
    return {path, mcp::display_path(path, setting.locations)};
  }
  fs::path path = mcp::project_mcp_file(setting.locations);
  return {path, mcp::display_path(path, setting.locations)};
}

void check_server_name(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
  if (!ok) {
    throw usage_error(fmt::format(
        "invalid server name \"{}\": use letters, digits, '-', '_' or '.' (at most 64)", name));
  }
}

std::map<std::string, std::string> parse_pairs(const std::vector<std::string>& pairs,
                                               const char* flag, char separator) {
  std::map<std::string, std::string> out;
  for (const auto& pair : pairs) {
    auto at = pair.find(separator);
    if (at == std::string::npos || at == 0) {
      throw usage_error(fmt::format("{} expects NAME{}VALUE, got an entry without '{}'", flag,
                                    separator, separator));
    }
    std::string key = pair.substr(0, at);
    std::string value = pair.substr(at + 1);
    if (separator == ':' && !value.empty() && value.front() == ' ') value.erase(0, 1);
    out[key] = value;
  }
  return out;
}

// Literal secrets never go into a config file: refuse, naming where, never what.
void refuse_literal_secrets(const std::string& name, const Json& entry) {
  auto findings = mcp::literal_secrets(name, entry);
  if (findings.empty()) return;
  std::vector<std::string> where;
  for (const auto& finding : findings) where.push_back(finding.where);
  throw policy_error(fmt::format(
      "refusing to write server \"{}\": {} hold{} a literal secret. Write a reference instead "
      "(\"${{NAME}}\" in env or headers, or bearerTokenEnvVar), and grant NAME to the server "
      "with [mcp.{}] grant = [\"NAME\"] (or [env] grant_secrets) in .omk/config.toml",
      name, fmt::join(where, ", "), findings.size() == 1 ? "s" : "", name));
}

struct AddFlags {
  std::string name;
  std::string url;
  std::vector<std::string> command;
  std::vector<std::string> env;
  std::vector<std::string> headers;
  std::string bearer_token_env_var;
  std::string scope = "project";
  bool required = false;
  bool force = false;
};

int run_add(const AddFlags& flags, const Context& context) {
  check_server_name(flags.name);
  if (flags.url.empty() == flags.command.empty()) {
    throw usage_error("omk mcp add needs either -- COMMAND [ARGS...] or --url URL (not both)");
  }
  mcp::NewServer server;
  if (!flags.url.empty()) {
    if (!flags.env.empty())
      throw usage_error("--env is for stdio servers; use --header with --url");
    server.url = flags.url;
    server.headers = parse_pairs(flags.headers, "--header", ':');
    if (!flags.bearer_token_env_var.empty()) {
      server.bearer_token_env_var = flags.bearer_token_env_var;
    }
  } else {
    if (!flags.headers.empty() || !flags.bearer_token_env_var.empty()) {
      throw usage_error("--header and --bearer-token-env-var are for --url servers");
    }
    server.command = flags.command.front();
    server.args.assign(flags.command.begin() + 1, flags.command.end());
    server.env = parse_pairs(flags.env, "--env", '=');
  }
  server.required = flags.required;
  Json entry = mcp::server_entry(server);

  McpSetting setting = load_mcp_setting(context);
  mcp::ActiveFile check_file{fs::path("(command line)"), "(command line)", mcp::Origin::kProject};
  std::vector<mcp::Diagnostic> problems;
  mcp::ServerConfig parsed = mcp::parse_server(flags.name, entry, check_file, problems);
  if (parsed.transport == mcp::TransportKind::kInvalid) {
    throw usage_error(fmt::format("server \"{}\": {}", flags.name, parsed.problems.front()));
  }
  refuse_literal_secrets(flags.name, entry);

  EditTarget target = target_for(flags.scope, setting);
  auto document = mcp::McpDocument::open(target.path, target.display);
  if (document.has_server(flags.name) && !flags.force) {
    throw usage_error(fmt::format("{} already defines \"{}\"; pass --force to replace it",
                                  target.display, flags.name));
  }
  document.set_server(flags.name, entry);
  document.save();
  print_out(fmt::format("Added \"{}\" ({}) to {}.\nCheck it with: omk mcp test {}\n", flags.name,
                        parsed.transport == mcp::TransportKind::kHttp ? "Streamable HTTP" : "stdio",
                        target.display, flags.name));
  return 0;
}

int run_remove(const std::string& name, const std::string& scope, const Context& context) {
  McpSetting setting = load_mcp_setting(context);
  // Every writable file of the scope that defines it, so no copy stays active behind it.
  std::vector<EditTarget> targets;
  if (scope == "user") {
    if (!setting.locations.home) throw usage_error("--scope user needs HOME to be set");
    for (const char* relative : {".omk/mcp.json", ".kimi/mcp.json"}) {
      fs::path path = *setting.locations.home / relative;
      targets.push_back({path, mcp::display_path(path, setting.locations)});
    }
  } else {
    for (const char* relative : {".omk/mcp.json", ".kimi/mcp.json"}) {
      fs::path path = setting.locations.root / relative;
      targets.push_back({path, mcp::display_path(path, setting.locations)});
    }
  }
  std::vector<std::string> removed_from;
  std::vector<mcp::McpDocument> changed;
  for (const auto& target : targets) {
    std::error_code ec;
    if (!fs::exists(target.path, ec)) continue;
    auto document = mcp::McpDocument::open(target.path, target.display);
    if (document.remove_server(name)) {
      removed_from.push_back(target.display);
      changed.push_back(std::move(document));
    }
  }
  if (changed.empty()) {
    std::vector<std::string> checked;
    for (const auto& target : targets) checked.push_back(target.display);
    throw usage_error(fmt::format("no server named \"{}\" in {}; see omk mcp list", name,
                                  fmt::join(checked, " or ")));
  }
  for (const auto& document : changed) document.save();
  print_out(fmt::format("Removed \"{}\" from {}.\n", name, fmt::join(removed_from, " and ")));
  return 0;
}

struct ImportFlags {
  std::string from;
  std::string file;
  std::string scope = "project";
  bool force = false;
  bool dry_run = false;
};

int run_import(const ImportFlags& flags, const Context& context) {
  auto source = mcp::parse_import_source(flags.from);
  if (!source) throw usage_error("--from must be codex, claude or kimi");
  McpSetting setting = load_mcp_setting(context);
  fs::path file = flags.file.empty() ? mcp::default_import_file(*source, setting.locations)
                                     : fs::absolute(flags.file);
  std::string file_display = mcp::display_path(file, setting.locations);
  mcp::ImportPlan plan = mcp::read_import(*source, file, file_display, setting.locations);
  // All or nothing: one literal secret anywhere refuses the whole import.
  for (const auto& server : plan.servers) refuse_literal_secrets(server.name, server.entry);

  EditTarget target = target_for(flags.scope, setting);
  auto document = mcp::McpDocument::open(target.path, target.display);
  std::vector<std::string> imported;
  for (const auto& server : plan.servers) {
    if (document.has_server(server.name) && !flags.force) {
      plan.skipped.push_back({server.name, "already in " + target.display + " (--force replaces)"});
      continue;
    }
    document.set_server(server.name, server.entry);
    imported.push_back(server.name);
  }
  if (!imported.empty() && !flags.dry_run) document.save();

  std::string text = fmt::format(
      "{} {} server{} from {} ({}) into {}{}\n", flags.dry_run ? "Would import" : "Imported",
      imported.size(), imported.size() == 1 ? "" : "s", file_display, mcp::to_string(*source),
      target.display, imported.empty() ? "" : fmt::format(": {}", fmt::join(imported, ", ")));
  for (const auto& skip : plan.skipped) {
    text += fmt::format("  skipped \"{}\": {}\n", skip.name, skip.reason);
  }
  print_out(text);
  return 0;
}

}  // namespace

void register_mcp_edit_commands(CLI::App& group, Context& context) {
  auto add_flags = std::make_shared<AddFlags>();
  auto* add = group.add_subcommand(
      "add",
      "Add a server to the project's .kimi/mcp.json: omk mcp add NAME -- COMMAND [ARGS...] or "
      "omk mcp add NAME --url URL. Literal secrets are refused; use ${NAME} references");
  add->add_option("name", add_flags->name, "Server name")->required();
  add->add_option("command", add_flags->command, "The stdio server's command and arguments")
      ->type_name("-- COMMAND [ARGS...]");
  add->add_option("--url", add_flags->url, "Streamable HTTP endpoint")->type_name("URL");
  add->add_option("--env", add_flags->env, "Environment entry for a stdio server (repeatable)")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);
  add->add_option("--header", add_flags->headers, "HTTP header for a URL server (repeatable)")
      ->type_name("NAME:VALUE")
      ->allow_extra_args(false);
  add->add_option("--bearer-token-env-var", add_flags->bearer_token_env_var,
                  "Send Authorization: Bearer $NAME (the variable must be granted)")
      ->type_name("NAME");
  add->add_flag("--required", add_flags->required,
                "A failing check of this server blocks agent runs that would receive it");
  add->add_option("--scope", add_flags->scope, "Write the project file or your user file")
      ->check(CLI::IsMember({"project", "user"}));
  add->add_flag("--force", add_flags->force, "Replace an existing server of that name");
  add->callback([&context, add_flags] {
    context.action = [&context, add_flags] { return run_add(*add_flags, context); };
  });

  auto remove_name = std::make_shared<std::string>();
  auto remove_scope = std::make_shared<std::string>("project");
  auto* remove = group.add_subcommand(
      "remove", "Remove a server from the project's MCP files (.omk/mcp.json and .kimi/mcp.json)");
  remove->add_option("name", *remove_name, "Server name")->required();
  remove->add_option("--scope", *remove_scope, "Edit the project files or your user files")
      ->check(CLI::IsMember({"project", "user"}));
  remove->callback([&context, remove_name, remove_scope] {
    context.action = [&context, remove_name, remove_scope] {
      return run_remove(*remove_name, *remove_scope, context);
    };
  });

  auto import_flags = std::make_shared<ImportFlags>();
  auto* import = group.add_subcommand(
      "import",
      "Copy MCP servers from Codex (config.toml [mcp_servers]), Claude (.mcp.json, "
      "~/.claude.json) or Kimi (~/.kimi/mcp.json) into .kimi/mcp.json. Literal secrets are "
      "refused");
  import->add_option("--from", import_flags->from, "codex, claude or kimi")
      ->required()
      ->check(CLI::IsMember({"codex", "claude", "kimi"}));
  import->add_option("--file", import_flags->file, "Read this file instead of the default")
      ->type_name("PATH");
  import->add_option("--scope", import_flags->scope, "Write the project file or your user file")
      ->check(CLI::IsMember({"project", "user"}));
  import->add_flag("--force", import_flags->force, "Replace servers that already exist");
  import->add_flag("--dry-run", import_flags->dry_run,
                   "Show what would be imported; write nothing");
  import->callback([&context, import_flags] {
    context.action = [&context, import_flags] { return run_import(*import_flags, context);
};
}  // namespace omk::cli
);
}

}  // namespace omk::cli
