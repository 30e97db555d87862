#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

// The scripted model: a list of steps replayed to any agent CLI or API client, whatever wire
// protocol it speaks. Stateless by design: the step for a request is chosen by how many tool
// results the request already carries, so retries, title requests and re-sends never
// desynchronise it.
namespace omk::model_server {

using Json = nlohmann::json;

struct ToolSpec {
  std::string name;
  Json schema;            // JSON Schema of the arguments (may be null)
  bool freeform = false;  // a Responses "custom" tool such as codex's apply_patch
};

// One scripted step. Exactly one of the forms is set:
//   {"shell": "CMD"}                       the CLI's shell tool, arguments shaped by its schema
//   {"tool": "NAME", "args": {...}}        an explicit function call
//   {"custom": "apply_patch", "input": S}  a freeform (Responses custom) tool call
//   {"text": "S"}                          a final answer
//   {"error": {"status": 429, "retry_after": 30, "message": "..."}}   an HTTP error reply
// Any step may add "delay_ms": N to answer slowly (timeouts, cancellation tests).
struct Step {
  std::optional<std::string> shell;
  std::optional<std::string> tool;
  Json args = Json::object();
  std::optional<std::string> custom;
  std::string custom_input;
  std::optional<std::string> text;
  std::optional<int> error_status;
  std::optional<int> retry_after;
  std::string error_message;
  int delay_ms = 0;
};

struct Script {
  std::vector<Step> steps;
  std::string aux_text = "done";  // answer to requests that offer no tools (titles, summaries)
  std::vector<std::string> models = {"fake-model"};
};

// Accepts {"steps": [...], "aux_text": "...", "models": [...]} or a bare array of steps.
// Throws std::runtime_error naming the problem.
Script parse_script(const Json& document);
Script default_script();  // shell "echo hello > out.txt", then text "done"

// The step for a request carrying `tool_results` results; past the end, the last step repeats.
const Step& step_for(const Script& script, size_t tool_results);

// A call the model makes: the tool's name and its JSON arguments.
struct ToolCall {
  std::string name;
  Json arguments;
  bool freeform = false;
  std::string freeform_input;
};

// Resolves a step to a concrete call against the tools the client offered, or nullopt when the
// step is a text/error step. A shell step picks the client's shell tool and shapes its
// arguments (cmd vs command, string vs argv array, description when required).
std::optional<ToolCall> resolve_call(const Step& step, const std::vector<ToolSpec>& tools);

// A minimal value that validates against `schema` (for router/structured-output requests).
Json schema_stub(const Json& schema);

}  // namespace omk::model_server
