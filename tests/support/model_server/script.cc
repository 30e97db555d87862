#include "script.h"

#include <algorithm>
#include <stdexcept>

namespace omk::model_server {

namespace {

Step parse_step(const Json& item) {
  if (!item.is_object()) throw std::runtime_error("each step must be an object");
  Step step;
  if (item.contains("shell")) step.shell = item.at("shell").get<std::string>();
  if (item.contains("tool")) {
    step.tool = item.at("tool").get<std::string>();
    step.args = item.value("args", Json::object());
  }
  if (item.contains("custom")) {
    step.custom = item.at("custom").get<std::string>();
    step.custom_input = item.value("input", "");
  }
  if (item.contains("text")) step.text = item.at("text").get<std::string>();
  if (item.contains("error")) {
    const Json& error = item.at("error");
    step.error_status = error.value("status", 500);
    if (error.contains("retry_after")) step.retry_after = error.at("retry_after").get<int>();
    step.error_message = error.value("message", "scripted error");
  }
  step.delay_ms = item.value("delay_ms", 0);
  int forms = (step.shell ? 1 : 0) + (step.tool ? 1 : 0) + (step.custom ? 1 : 0) +
              (step.text ? 1 : 0) + (step.error_status ? 1 : 0);
  if (forms != 1) {
    throw std::runtime_error("a step needs exactly one of shell, tool, custom, text, error: " +
                             item.dump());
  }
  return step;
}

const std::vector<std::string>& shell_tool_names() {
  static const std::vector<std::string> names = {
      "exec_command", "shell_command", "shell", "local_shell", "run_shell_command",
      "Bash",         "bash",          "Shell", "run_command"};
  return names;
}

bool schema_requires(const Json& schema, const std::string& field) {
  if (!schema.is_object() || !schema.contains("required")) return false;
  const Json& required = schema.at("required");
  return std::find(required.begin(), required.end(), field) != required.end();
}

Json property(const Json& schema, const std::string& field) {
  if (!schema.is_object() || !schema.contains("properties")) return nullptr;
  const Json& properties = schema.at("properties");
  return properties.contains(field) ? properties.at(field) : Json(nullptr);
}

Json shell_arguments(const ToolSpec& tool, const std::string& command) {
  std::string field = property(tool.schema, "cmd").is_null() ? "command" : "cmd";
  Json field_schema = property(tool.schema, field);
  Json args = Json::object();
  if (field_schema.is_object() && field_schema.value("type", "") == "array") {
    args[field] = Json::array({"bash", "-lc", command});
  } else {
    args[field] = command;
  }
  if (schema_requires(tool.schema, "description") ||
      !property(tool.schema, "description").is_null()) {
    args["description"] = "scripted command";
  }
  return args;
}

}  // namespace

Script parse_script(const Json& document) {
  Script script;
  const Json* steps = &document;
  if (document.is_object()) {
    if (!document.contains("steps")) throw std::runtime_error("script object needs \"steps\"");
    steps = &document.at("steps");
    script.aux_text = document.value("aux_text", script.aux_text);
    if (document.contains("models")) {
      script.models = document.at("models").get<std::vector<std::string>>();
    }
  }
  if (!steps->is_array() || steps->empty()) {
    throw std::runtime_error("\"steps\" must be a non-empty array");
  }
  for (const Json& item : *steps) script.steps.push_back(parse_step(item));
  return script;
}

Script default_script() {
  return parse_script(Json::parse(R"([{"shell": "echo hello > out.txt"}, {"text": "done"}])"));
}

const Step& step_for(const Script& script, size_t tool_results) {
  return script.steps[std::min(tool_results, script.steps.size() - 1)];
}

std::optional<ToolCall> resolve_call(const Step& step, const std::vector<ToolSpec>& tools) {
  if (step.tool) return ToolCall{*step.tool, step.args, false, ""};
  if (step.custom) return ToolCall{*step.custom, nullptr, true, step.custom_input};
  if (!step.shell) return std::nullopt;
  for (const std::string& name : shell_tool_names()) {
    for (const ToolSpec& tool : tools) {
      if (tool.name == name && !tool.freeform) {
        return ToolCall{tool.name, shell_arguments(tool, *step.shell), false, ""};
      }
    }
  }
  // No recognisable shell tool: fall back to the conventional name so the failure is visible
  // in the client's output rather than silently answered with text.
  return ToolCall{"shell", Json{{"command", *step.shell}}, false, ""};
}

Json schema_stub(const Json& schema) {
  if (!schema.is_object()) return nullptr;
  if (schema.contains("enum") && !schema.at("enum").empty()) return schema.at("enum")[0];
  if (schema.contains("const")) return schema.at("const");
  std::string type = schema.contains("type") && schema.at("type").is_string()
                         ? schema.at("type").get<std::string>()
                         : (schema.contains("properties") ? "object" : "string");
  if (type == "object") {
    Json object = Json::object();
    if (schema.contains("properties")) {
      for (const auto& [name, sub] : schema.at("properties").items()) {
        object[name] = schema_stub(sub);
      }
    }
    return object;
  }
  if (type == "array") return Json::array();
  if (type == "integer" || type == "number") {
    return schema.contains("minimum") ? schema.at("minimum") : Json(1);
  }
  if (type == "boolean") return false;
  if (type == "null") return nullptr;
  return "stub";
}

}  // namespace omk::model_server
