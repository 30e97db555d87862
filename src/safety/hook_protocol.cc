#include "safety/hook_protocol.h"

#include <nlohmann/json.hpp>

namespace omk::guard {
namespace {

using nlohmann::json;

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Quotes one argv element for a POSIX shell, so an argv array can be judged as a command line.
std::string shell_quote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789_-./=:,+@%") == std::string::npos) {
    return word;
  }
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::optional<std::string> string_field(const json& object,
                                        std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto it = object.find(key);
    if (it != object.end() && it->is_string()) return it->get<std::string>();
  }
  return std::nullopt;
}

// Every piece of text a file tool is about to write, whatever the tool calls it.
void collect_content(const json& value, std::string& out) {
  static const char* kKeys[] = {"content", "new_string", "new_str", "new_source", "new", "text"};
  if (value.is_object()) {
    for (const char* key : kKeys) {
      auto it = value.find(key);
      if (it != value.end() && it->is_string()) {
        out += it->get<std::string>();
        out += '\n';
      }
    }
    for (const char* list : {"edits", "edit"}) {
      auto it = value.find(list);
      if (it != value.end()) collect_content(*it, out);
    }
  } else if (value.is_array()) {
    for (const auto& item : value) collect_content(item, out);
  }
}

enum class ToolKind { kShell, kWrite, kRead, kPatch, kUnknown };

ToolKind kind_of(const std::string& tool) {
  if (tool == "Bash" || tool == "Shell" || tool == "shell" || tool == "local_shell" ||
      tool == "exec_command" || tool == "shell_command" || tool == "container.exec") {
    return ToolKind::kShell;
  }
  if (tool == "apply_patch") return ToolKind::kPatch;
  if (tool == "Write" || tool == "Edit" || tool == "MultiEdit" || tool == "NotebookEdit" ||
      tool == "WriteFile" || tool == "StrReplaceFile") {
    return ToolKind::kWrite;
  }
  if (tool == "Read" || tool == "ReadFile") return ToolKind::kRead;
  return ToolKind::kUnknown;
}

HookFormat detect(const json& payload) {
  if (payload.contains("turn_id")) return HookFormat::kCodex;
  auto client = payload.find("client_type");
  bool kimi_client = client != payload.end() && client->is_string() &&
                     starts_with(client->get<std::string>(), "kimi");
  if (payload.contains("tool_call_id") || kimi_client) return HookFormat::kKimi;
  return HookFormat::kClaude;
}

std::optional<std::string> command_of(const json& input, std::string& problem) {
  auto it = input.find("command");
  if (it == input.end()) {
    problem = "tool_input has no \"command\"";
    return std::nullopt;
  }
  if (it->is_string()) return it->get<std::string>();
  if (it->is_array() && !it->empty()) {
    std::string line;
    for (const auto& word : *it) {
      if (!word.is_string()) {
        problem = "tool_input.command holds a non-string element";
        return std::nullopt;
      }
      if (!line.empty()) line += ' ';
      line += shell_quote(word.get<std::string>());
    }
    return line;
  }
  problem = "tool_input.command is neither a string nor an array of strings";
  return std::nullopt;
}

}  // namespace

std::optional<HookFormat> parse_hook_format(std::string_view text) {
  if (text == "auto") return HookFormat::kAuto;
  if (text == "claude") return HookFormat::kClaude;
  if (text == "codex") return HookFormat::kCodex;
  if (text == "kimi") return HookFormat::kKimi;
  return std::nullopt;
}

std::string_view to_string(HookFormat format) {
  switch (format) {
    case HookFormat::kAuto:
      return "auto";
    case HookFormat::kClaude:
      return "claude";
    case HookFormat::kCodex:
      return "codex";
    case HookFormat::kKimi:
      return "kimi";
  }
  return "claude";
}

HookInput parse_hook_input(std::string_view json_text, HookFormat requested) {
  HookInput input;
  input.format = requested == HookFormat::kAuto ? HookFormat::kClaude : requested;
  json payload = json::parse(json_text, nullptr, false);
  if (payload.is_discarded()) {
    input.problem = "the hook input is not valid JSON";
    return input;
  }
  if (!payload.is_object()) {
    input.problem = "the hook input is not a JSON object";
    return input;
  }
  if (requested == HookFormat::kAuto) input.format = detect(payload);
  input.cwd = string_field(payload, {"cwd"}).value_or("");
  auto event = string_field(payload, {"hook_event_name"});
  if (event && *event != "PreToolUse") {
    input.problem = "omk hook pre-tool-use judges PreToolUse events, not " + *event;
    return input;
  }
  auto tool = string_field(payload, {"tool_name"});
  if (!tool) {
    input.problem = "the hook input has no tool_name";
    return input;
  }
  auto tool_input = payload.find("tool_input");
  ToolKind kind = kind_of(*tool);
  if (kind == ToolKind::kUnknown) {
    input.problem = "omk does not know the tool \"" + *tool +
                    "\"; register the hook only for shell and file tools (docs/hooks.md)";
    return input;
  }
  ToolCall call;
  call.tool_name = *tool;
  if (kind == ToolKind::kPatch && tool_input != payload.end() && tool_input->is_string()) {
    call.kind = ToolCall::Kind::kPatch;
    call.patch = tool_input->get<std::string>();
    input.call = std::move(call);
    return input;
  }
  if (tool_input == payload.end() || !tool_input->is_object()) {
    input.problem = "the hook input has no tool_input object for " + *tool;
    return input;
  }
  switch (kind) {
    case ToolKind::kShell: {
      auto command = command_of(*tool_input, input.problem);
      if (!command) return input;
      call.kind = ToolCall::Kind::kShell;
      call.command = std::move(*command);
      break;
    }
    case ToolKind::kPatch: {
      auto patch = string_field(*tool_input, {"command", "patch", "input"});
      if (!patch) {
        input.problem = "apply_patch input holds no patch text";
        return input;
      }
      call.kind = ToolCall::Kind::kPatch;
      call.patch = std::move(*patch);
      break;
    }
    case ToolKind::kWrite:
    case ToolKind::kRead: {
      auto path = string_field(*tool_input, {"file_path", "path", "notebook_path"});
      if (!path || path->empty()) {
        input.problem = *tool + " input names no file (file_path or path)";
        return input;
      }
      call.kind = kind == ToolKind::kWrite ? ToolCall::Kind::kWrite : ToolCall::Kind::kRead;
      call.path = std::move(*path);
      if (kind == ToolKind::kWrite) collect_content(*tool_input, call.content);
      break;
    }
    case ToolKind::kUnknown:
      break;
  }
  input.call = std::move(call);
  return input;
}

std::string summarize(const Verdict& verdict) {
  if (verdict.reasons.empty()) return "no finding";
  std::string text;
  size_t shown = 0;
  for (const auto& reason : verdict.reasons) {
    if (reason.decision != verdict.decision) continue;
    if (shown == 3) {
      text += "; ...";
      break;
    }
    if (!text.empty()) text += "; ";
    text += reason.message + " [" + reason.rule + "]";
    ++shown;
  }
  return "omk guard: " + std::string(to_string(verdict.decision)) + ": " + text;
}

HookOutput render_hook_output(HookFormat format, const Verdict& verdict) {
  HookOutput output;
  auto decision_json = [](std::string_view decision, const std::string& reason) {
    json document = {{"hookSpecificOutput",
                      {{"hookEventName", "PreToolUse"},
                       {"permissionDecision", decision},
                       {"permissionDecisionReason", reason}}}};
    return document.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  };
  std::string reason = summarize(verdict);
  bool can_ask = format == HookFormat::kClaude;
  if (verdict.decision == Decision::kDeny || (verdict.decision == Decision::kAsk && !can_ask)) {
    if (verdict.decision == Decision::kAsk) {
      reason +=
          " - this needs a person's approval, which this agent's hooks cannot request: "
          "run the command yourself, or add a [guard] allow rule to .omk/config.toml";
    }
    output.exit_code = 2;
    output.err = reason + "\n";
    output.out = decision_json("deny", reason);
    return output;
  }
  output.exit_code = 0;
  if (verdict.decision == Decision::kAsk) {
    output.out = decision_json("ask", reason);
  } else if (format == HookFormat::kClaude && verdict.explicitly_allowed) {
    output.out = decision_json("allow", "omk guard: allowed by the project's [guard] allow rules");
  }
  return output;
}

}  // namespace omk::guard
