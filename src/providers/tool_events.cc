#include "providers/tool_events.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "providers/jsonl.h"

namespace omk::providers {
namespace {

constexpr std::array<std::string_view, 7> kShellTools = {
    "Bash", "bash", "run_shell_command", "exec_command", "Shell", "shell", "shell_command"};
constexpr std::array<std::string_view, 12> kFileTools = {
    "Write",   "Edit",  "MultiEdit", "NotebookEdit",   "write_file", "edit",
    "replace", "write", "patch",     "StrReplaceFile", "WriteFile",  "notebook_edit"};

bool one_of(std::string_view name, auto list) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

TurnEvent tool_event(const std::string& tool, const Json& input) {
  TurnEvent event;
  event.tool = tool;
  if (one_of(tool, kShellTools)) {
    event.kind = TurnEvent::Kind::kCommand;
    for (const char* key : {"command", "cmd"}) {
      if (input.is_object() && input.contains(key)) {
        const Json& value = input[key];
        if (value.is_string()) {
          event.command = value.get<std::string>();
        } else if (value.is_array()) {
          for (const Json& part : value) {
            if (!part.is_string()) continue;
            if (!event.command.empty()) event.command += " ";
            event.command += part.get<std::string>();
          }
        }
        break;
      }
    }
    return event;
  }
  if (one_of(tool, kFileTools)) {
    event.kind = TurnEvent::Kind::kFileChange;
    for (const char* key : {"file_path", "filePath", "path", "notebook_path", "absolute_path"}) {
      std::string path = json_string(input, key);
      if (!path.empty()) {
        event.path = path;
        break;
      }
    }
    return event;
  }
  event.kind = TurnEvent::Kind::kTool;
  return event;
}

}  // namespace omk::providers
