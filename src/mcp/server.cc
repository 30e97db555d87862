#include "mcp/server.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/output.h"
#include "mcp/protocol.h"

namespace omk::mcp {
namespace {

using jsonrpc::Kind;

constexpr std::array<std::string_view, 8> kLogLevels = {"debug", "info",     "notice", "warning",
                                                        "error", "critical", "alert",  "emergency"};

std::optional<std::string> modern_version(const Json& params) {
  if (!params.is_object()) return std::nullopt;
  auto meta = params.find("_meta");
  if (meta == params.end() || !meta->is_object()) return std::nullopt;
  auto version = meta->find(std::string(kMetaProtocolVersion));
  if (version == meta->end() || !version->is_string()) return std::nullopt;
  return version->get<std::string>();
}

Json supported_versions() {
  Json versions = Json::array({kModernProtocolVersion});
  for (auto version : kLegacyProtocolVersions) versions.push_back(version);
  return versions;
}

std::string required_string(const Json& params, const char* key) {
  auto it = params.is_object() ? params.find(key) : params.end();
  if (it == params.end() || !it->is_string()) {
    throw InvalidParams(fmt::format("Invalid params: missing '{}'", key));
  }
  return it->get<std::string>();
}

}  // namespace

void McpServer::add_tool(ToolSpec tool) {
  tools_.push_back(std::move(tool));
}
void McpServer::add_resource(ResourceSpec resource) {
  resources_.push_back(std::move(resource));
}
void McpServer::add_prompt(PromptSpec prompt) {
  prompts_.push_back(std::move(prompt));
}

Json McpServer::capabilities() const {
  Json caps = Json::object();
  caps["tools"] = {{"listChanged", false}};
  caps["resources"] = {{"listChanged", false}, {"subscribe", false}};
  caps["prompts"] = {{"listChanged", false}};
  caps["logging"] = Json::object();
  caps["completions"] = Json::object();
  return caps;
}

Json McpServer::initialize(const jsonrpc::Message& message, ServerSession& session) const {
  std::string requested;
  if (message.params.is_object()) requested = message.params.value("protocolVersion", "");
  // Echo a version omk speaks; otherwise offer the newest (the client decides whether to go on).
  session.protocol_version = is_supported_legacy_version(requested)
                                 ? requested
                                 : std::string(kLegacyProtocolVersions.front());
  session.initialized = true;
  Json result = {{"protocolVersion", session.protocol_version},
                 {"capabilities", capabilities()},
                 {"serverInfo", {{"name", info_.name}, {"version", info_.version}}}};
  if (!info_.instructions.empty()) result["instructions"] = info_.instructions;
  return result;
}

Json McpServer::discover() const {
  Json result = {{"resultType", "complete"},
                 {"supportedVersions", supported_versions()},
                 {"capabilities", capabilities()}};
  result["_meta"] = {
      {std::string(kMetaServerInfo), {{"name", info_.name}, {"version", info_.version}}}};
  if (!info_.instructions.empty()) result["instructions"] = info_.instructions;
  return result;
}

Json McpServer::tools_list() const {
  Json tools = Json::array();
  for (const auto& tool : tools_) {
    Json entry = {{"name", tool.name},
                  {"title", tool.title},
                  {"description", tool.description},
                  {"inputSchema", tool.input_schema}};
    entry["annotations"] = {{"title", tool.title},
                            {"readOnlyHint", tool.read_only},
                            {"destructiveHint", false},
                            {"idempotentHint", true},
                            {"openWorldHint", false}};
    tools.push_back(entry);
  }
  return {{"tools", tools}};
}

Json McpServer::call_tool(const Json& params) const {
  std::string name = required_string(params, "name");
  auto tool =
      std::find_if(tools_.begin(), tools_.end(), [&](const ToolSpec& t) { return t.name == name; });
  if (tool == tools_.end()) throw InvalidParams("Unknown tool: " + name);
  Json arguments = params.value("arguments", Json::object());
  if (!arguments.is_object()) throw InvalidParams("Invalid params: 'arguments' must be an object");
  try {
    Json value = tool->handler(arguments);
    Json result = Json::object();
    if (value.is_string()) {
      result["content"] = Json::array({{{"type", "text"}, {"text", value}}});
    } else {
      result["content"] = Json::array({{{"type", "text"}, {"text", value.dump(2)}}});
      if (value.is_object()) result["structuredContent"] = value;
    }
    result["isError"] = false;
    return result;
  } catch (const ToolError& error) {
    return {{"content", Json::array({{{"type", "text"}, {"text", filter_output(error.what())}}})},
            {"isError", true}};
  }
}

Json McpServer::read_resource(const Json& params) const {
  std::string uri = required_string(params, "uri");
  auto resource = std::find_if(resources_.begin(), resources_.end(),
                               [&](const ResourceSpec& r) { return r.uri == uri; });
  if (resource == resources_.end()) throw InvalidParams("Resource not found: " + uri);
  return {{"contents",
           Json::array(
               {{{"uri", uri}, {"mimeType", resource->mime_type}, {"text", resource->read()}}})}};
}

Json McpServer::get_prompt(const Json& params) const {
  std::string name = required_string(params, "name");
  auto prompt = std::find_if(prompts_.begin(), prompts_.end(),
                             [&](const PromptSpec& p) { return p.name == name; });
  if (prompt == prompts_.end()) throw InvalidParams("Prompt not found: " + name);
  return {{"description", prompt->description},
          {"messages", Json::array({{{"role", "user"},
                                     {"content", {{"type", "text"}, {"text", prompt->text()}}}}})}};
}

std::optional<Json> McpServer::handle(const jsonrpc::Message& message,
                                      ServerSession& session) const {
  if (message.kind == Kind::kNotification) {
    if (message.method == "notifications/initialized") session.initialized = true;
    return std::nullopt;  // never reply to a notification, known or not
  }
  if (message.kind != Kind::kRequest) return std::nullopt;
  const Json& id = message.id;
  const std::string& method = message.method;
  // A modern request names its revision in _meta; one omk does not speak is refused with the
  // list of what it does speak, so the client can retry.
  if (auto version = modern_version(message.params)) {
    if (*version != kModernProtocolVersion && !is_supported_legacy_version(*version)) {
      return jsonrpc::make_error(id, jsonrpc::kUnsupportedProtocolVersion,
                                 "Unsupported protocol version",
                                 {{"supported", supported_versions()}, {"requested", *version}});
    }
  }
  try {
    if (method == "initialize") return jsonrpc::make_result(id, initialize(message, session));
    if (method == "server/discover") return jsonrpc::make_result(id, discover());
    if (method == "ping") return jsonrpc::make_result(id, Json::object());
    if (method == "tools/list") return jsonrpc::make_result(id, tools_list());
    if (method == "tools/call") return jsonrpc::make_result(id, call_tool(message.params));
    if (method == "resources/list") {
      Json list = Json::array();
      for (const auto& r : resources_) {
        list.push_back({{"uri", r.uri},
                        {"name", r.name},
                        {"description", r.description},
                        {"mimeType", r.mime_type}});
      }
      return jsonrpc::make_result(id, {{"resources", list}});
    }
    if (method == "resources/templates/list") {
      return jsonrpc::make_result(id, {{"resourceTemplates", Json::array()}});
    }
    if (method == "resources/read") return jsonrpc::make_result(id, read_resource(message.params));
    if (method == "prompts/list") {
      Json list = Json::array();
      for (const auto& p : prompts_) {
        list.push_back(
            {{"name", p.name}, {"description", p.description}, {"arguments", Json::array()}});
      }
      return jsonrpc::make_result(id, {{"prompts", list}});
    }
    if (method == "prompts/get") return jsonrpc::make_result(id, get_prompt(message.params));
    if (method == "logging/setLevel") {
      std::string level = required_string(message.params, "level");
      if (std::find(kLogLevels.begin(), kLogLevels.end(), level) == kLogLevels.end()) {
        throw InvalidParams("Invalid params: unknown log level");
      }
      session.log_level = level;
      return jsonrpc::make_result(id, Json::object());
    }
    if (method == "completion/complete") {
      // Nothing omk-project offers takes arguments worth completing.
      return jsonrpc::make_result(
          id, {{"completion", {{"values", Json::array()}, {"total", 0}, {"hasMore", false}}}});
    }
    return jsonrpc::make_error(id, jsonrpc::kMethodNotFound, "Method not found: " + method);
  } catch (const InvalidParams& error) {
    return jsonrpc::make_error(id, jsonrpc::kInvalidParams, error.what());
  } catch (const std::exception& error) {
    return jsonrpc::make_error(id, jsonrpc::kInternalError,
                               filter_output(std::string("Internal error: ") + error.what()));
  }
}

std::vector<Json> McpServer::handle_frame(std::string_view text, ServerSession& session) const {
  std::vector<Json> replies;
  auto frame = jsonrpc::parse_frame(text);
  if (frame.error) {
    int64_t code = frame.error->type == jsonrpc::FrameErrorType::kNotJsonRpc
                       ? jsonrpc::kInvalidRequest
                       : jsonrpc::kParseError;
    replies.push_back(jsonrpc::make_error(
        nullptr, code, code == jsonrpc::kParseError ? "Parse error" : "Invalid Request"));
    return replies;
  }
  for (const auto& message : frame.messages) {
    if (auto reply = handle(message, session)) replies.push_back(std::move(*reply));
  }
  return replies;
}

}  // namespace omk::mcp
