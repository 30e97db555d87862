#include "mcp/hooks.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/json_output.h"
#include "mcp/command_lookup.h"
#include "mcp/file_read.h"

namespace omk::mcp {
namespace fs = std::filesystem;

namespace {

class HookFileReader {
 public:
  HookFileReader(const ActiveHookFile& file, const Locations& locations, const EnvMap& env,
                 HookScan& scan)
      : file_(file), locations_(locations), env_(env), scan_(scan) {}

  void read() {
    FileText read = read_tool_plane_file(file_.path);
    if (!read.exists) return;
    if (!read.text) {
      error("hooks_config_unreadable", "hook config " + read.error);
      return;
    }
    if (file_.format == HookFormat::kKimiToml) {
      read_kimi(*read.text);
    } else {
      read_json(*read.text);
    }
  }

 private:
  void error(std::string code, std::string reason) {
    scan_.diagnostics.push_back({Level::kError, std::move(code), file_.display, std::move(reason)});
  }

  void read_kimi(const std::string& text) {
    toml::table table;
    try {
      table = toml::parse(text, file_.path.string());
    } catch (const toml::parse_error& e) {
      // The parser's description can quote the text; only the position is kept.
      error("hooks_config_invalid_toml",
            fmt::format("invalid TOML at line {}, column {}", e.source().begin.line,
                        e.source().begin.column));
      return;
    }
    const toml::node* hooks = table.get("hooks");
    if (hooks == nullptr) return;
    const toml::array* list = hooks->as_array();
    if (list == nullptr) {
      error("hooks_config_invalid", "\"hooks\" must be an array of tables ([[hooks]])");
      return;
    }
    size_t index = 0;
    for (const toml::node& node : *list) {
      ++index;
      const toml::table* entry = node.as_table();
      auto event = entry ? entry->get_as<std::string>("event") : nullptr;
      auto command = entry ? entry->get_as<std::string>("command") : nullptr;
      if (entry == nullptr || event == nullptr || command == nullptr) {
        error("hooks_config_invalid",
              fmt::format("[[hooks]] entry {} needs string \"event\" and \"command\"", index));
        continue;
      }
      HookRegistration hook;
      hook.event = event->get();
      if (auto matcher = entry->get_as<std::string>("matcher")) hook.matcher = matcher->get();
      hook.type = "command";
      hook.command = command->get();
      add(std::move(hook));
    }
  }

  void read_json(const std::string& text) {
    std::string where;
    auto parsed = parse_json_quietly(text, where);
    if (!parsed) {
      error("hooks_config_invalid_json", "invalid JSON at " + where);
      return;
    }
    Json document = std::move(*parsed);
    if (!document.is_object()) {
      error("hooks_config_invalid", "the file must hold a JSON object");
      return;
    }
    auto hooks = document.find("hooks");
    if (hooks == document.end() || hooks->is_null()) return;
    if (!hooks->is_object()) {
      error("hooks_config_invalid", "\"hooks\" must be an object of event names");
      return;
    }
    for (const auto& [event, groups] : hooks->items()) {
      if (!groups.is_array()) {
        error("hooks_config_invalid",
              fmt::format("hooks.{} must be an array of matcher groups", event));
        continue;
      }
      for (const Json& group : groups) {
        auto handlers = group.is_object() ? group.find("hooks") : group.end();
        if (!group.is_object() || handlers == group.end() || !handlers->is_array()) {
          error("hooks_config_invalid",
                fmt::format("hooks.{} has a group without a \"hooks\" array", event));
          continue;
        }
        std::string matcher;
        if (auto m = group.find("matcher"); m != group.end() && m->is_string()) {
          matcher = m->get<std::string>();
        }
        for (const Json& handler : *handlers) {
          auto type = handler.is_object() ? handler.find("type") : handler.end();
          if (!handler.is_object() || type == handler.end() || !type->is_string()) {
            error("hooks_config_invalid",
                  fmt::format("hooks.{} has a handler without a \"type\"", event));
            continue;
          }
          HookRegistration hook;
          hook.event = event;
          hook.matcher = matcher;
          hook.type = type->get<std::string>();
          if (hook.type == "command") {
            auto command = handler.find("command");
            if (command == handler.end() || !command->is_string()) {
              error("hooks_config_invalid",
                    fmt::format("hooks.{} has a command handler without a \"command\"", event));
              continue;
            }
            hook.command = command->get<std::string>();
          }
          add(std::move(hook));
        }
      }
    }
  }

  void add(HookRegistration hook) {
    hook.agent = std::string(to_string(file_.format));
    hook.path = file_.display;
    hook.origin = file_.origin;
    if (hook.type == "command") check_command(hook);
    scan_.hooks.push_back(std::move(hook));
  }

  void check_command(const HookRegistration& hook) {
    std::string line = hook.command;
    // Claude Code runs hooks with $CLAUDE_PROJECT_DIR set to the project.
    for (const char* variable :
         {"\"$CLAUDE_PROJECT_DIR\"", "${CLAUDE_PROJECT_DIR}", "$CLAUDE_PROJECT_DIR"}) {
      for (size_t at = line.find(variable); at != std::string::npos; at = line.find(variable)) {
        line.replace(at, std::string_view(variable).size(), locations_.root.string());
      }
    }
    auto word = first_shell_word(line);
    if (!word || is_shell_builtin(*word)) return;  // needs a shell to decide; not a failure
    std::string path_variable = env_value(env_, "PATH").value_or("");
    if (find_executable(*word, path_variable, locations_.root)) return;
    std::string shown = word->find('/') != std::string::npos
                            ? display_path(locations_.root / *word, locations_)
                            : *word;
    scan_.diagnostics.push_back(
        {Level::kError, "hook_command_missing", file_.display,
         fmt::format("{} hook runs \"{}\", which does not exist or is not executable", hook.event,
                     shown)});
  }

  const ActiveHookFile& file_;
  const Locations& locations_;
  const EnvMap& env_;
  HookScan& scan_;
};

}  // namespace

HookScan scan_hooks(const std::vector<ActiveHookFile>& files, const Locations& locations,
                    const EnvMap& env) {
  HookScan scan;
  for (const ActiveHookFile& file : files) HookFileReader(file, locations, env, scan).read();
  return scan;
}

}  // namespace omk::mcp
