// The scripted model server is test infrastructure every agent test leans on; these cases pin
// the wire shapes the real CLIs were shown to accept (shared/reference/peers-samples).
#include <gtest/gtest.h>
#include <httplib.h>

#include "test_support.h"

namespace omk {
namespace {
using nlohmann::json;

std::string post(const test::ModelServer& server, const std::string& path, const json& body,
                 int* status = nullptr, std::string* retry_after = nullptr) {
  httplib::Client client("127.0.0.1", server.port());
  auto response = client.Post(path.c_str(), body.dump(), "application/json");
  EXPECT_TRUE(response);
  if (!response) return "";
  if (status) *status = response->status;
  if (retry_after) *retry_after = response->get_header_value("Retry-After");
  return response->body;
}

// The JSON payloads of "data:" lines, skipping [DONE].
std::vector<json> sse_payloads(const std::string& body) {
  std::vector<json> out;
  size_t at = 0;
  while ((at = body.find("data: ", at)) != std::string::npos) {
    size_t end = body.find('\n', at);
    std::string data = body.substr(at + 6, end - at - 6);
    if (data != "[DONE]") out.push_back(json::parse(data));
    at = end;
  }
  return out;
}

const json kQwenShell = json::parse(R"({"type": "function", "function": {
    "name": "run_shell_command",
    "parameters": {"type": "object", "properties": {"command": {"type": "string"}},
                   "required": ["command"]}}})");

TEST(ModelServer, ChatCompletionsStreamsAShellCallThenText) {
  test::ModelServer server;
  json body = {{"model", "m"},
               {"stream", true},
               {"tools", {kQwenShell}},
               {"messages", {{{"role", "user"}, {"content", "go"}}}}};
  auto first = sse_payloads(post(server, "/v1/chat/completions", body));
  ASSERT_GE(first.size(), 3u);
  EXPECT_EQ(first[0]["choices"][0]["delta"]["tool_calls"][0]["function"]["name"],
            "run_shell_command");
  std::string arguments = first[1]["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"];
  EXPECT_EQ(json::parse(arguments)["command"], "echo hello > out.txt");
  EXPECT_EQ(first[2]["choices"][0]["finish_reason"], "tool_calls");

  body["messages"].push_back({{"role", "tool"}, {"tool_call_id", "x"}, {"content", "ok"}});
  auto second = sse_payloads(post(server, "/v1/chat/completions", body));
  EXPECT_EQ(second[1]["choices"][0]["delta"]["content"], "done");

  auto log = server.requests();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["path"], "/v1/chat/completions");
  EXPECT_EQ(log[0]["reply"]["kind"], "call");
  EXPECT_EQ(log[1]["reply"]["kind"], "text");
}

TEST(ModelServer, ChatWithoutStreamingAndWithoutToolsAnswersText) {
  test::ModelServer server(R"({"steps": [{"text": "advice"}]})");
  json reply =
      json::parse(post(server, "/v1/chat/completions",
                       {{"model", "m"}, {"messages", {{{"role", "user"}, {"content", "x"}}}}}));
  EXPECT_EQ(reply["choices"][0]["message"]["content"], "advice");
  EXPECT_EQ(reply["object"], "chat.completion");
}

TEST(ModelServer, RequestsWithoutToolsGetAuxTextAndKeepTheScriptInPlace) {
  test::ModelServer server;
  json title = {{"model", "m"}, {"stream", false}, {"messages", json::array()}};
  EXPECT_EQ(
      json::parse(post(server, "/v1/chat/completions", title))["choices"][0]["message"]["content"],
      "done");
  EXPECT_EQ(server.requests()[0]["reply"]["kind"], "text");
}

TEST(ModelServer, ResponsesApiForCodex) {
  test::ModelServer server;
  json exec = {
      {"type", "function"},
      {"name", "exec_command"},
      {"parameters", {{"type", "object"}, {"properties", {{"cmd", {{"type", "string"}}}}}}}};
  json body = {{"model", "fake-model"},
               {"stream", true},
               {"tools", {exec}},
               {"input", {{{"type", "message"}, {"role", "user"}}}}};
  auto events = sse_payloads(post(server, "/v1/responses", body));
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["type"], "response.completed") << "codex retries without it";
  json done;
  for (const auto& e : events) {
    if (e["type"] == "response.output_item.done") done = e["item"];
  }
  EXPECT_EQ(done["type"], "function_call");
  EXPECT_EQ(json::parse(done["arguments"].get<std::string>())["cmd"], "echo hello > out.txt");

  body["input"].push_back({{"type", "function_call_output"}, {"call_id", "c"}, {"output", "ok"}});
  events = sse_payloads(post(server, "/v1/responses", body));
  for (const auto& e : events) {
    if (e["type"] == "response.output_item.done") done = e["item"];
  }
  EXPECT_EQ(done["content"][0]["text"], "done");
}

TEST(ModelServer, FreeformApplyPatch) {
  test::ModelServer server(
      R"([{"custom": "apply_patch", "input": "*** Begin Patch\n*** End Patch\n"}, {"text": "ok"}])");
  json body = {{"stream", true},
               {"tools", {{{"type", "custom"}, {"name", "apply_patch"}}}},
               {"input", json::array()}};
  auto events = sse_payloads(post(server, "/v1/responses", body));
  json item = events.back()["response"]["output"][0];
  EXPECT_EQ(item["type"], "custom_tool_call");
  EXPECT_EQ(item["name"], "apply_patch");
}

TEST(ModelServer, AnthropicMessagesForClaude) {
  test::ModelServer server;
  json bash = {
      {"name", "Bash"},
      {"input_schema",
       {{"type", "object"},
        {"properties", {{"command", {{"type", "string"}}}, {"description", {{"type", "string"}}}}},
        {"required", {"command"}}}}};
  json body = {{"model", "claude"},
               {"stream", true},
               {"tools", {bash}},
               {"messages", {{{"role", "user"}, {"content", "go"}}}}};
  std::string stream = post(server, "/v1/messages?beta=true", body);
  EXPECT_NE(stream.find("event: message_start"), std::string::npos);
  auto events = sse_payloads(stream);
  EXPECT_EQ(events[1]["content_block"]["type"], "tool_use");
  json input = json::parse(events[2]["delta"]["partial_json"].get<std::string>());
  EXPECT_EQ(input["command"], "echo hello > out.txt");
  EXPECT_TRUE(input.contains("description"));
  EXPECT_EQ(events[4]["delta"]["stop_reason"], "tool_use");

  body["messages"].push_back(
      {{"role", "user"}, {"content", {{{"type", "tool_result"}, {"tool_use_id", "t"}}}}});
  events = sse_payloads(post(server, "/v1/messages", body));
  EXPECT_EQ(events[2]["delta"]["text"], "done");
}

TEST(ModelServer, GeminiStreamAndRouterJson) {
  test::ModelServer server;
  json shell = {{"functionDeclarations",
                 {{{"name", "run_shell_command"},
                   {"parametersJsonSchema",
                    {{"type", "object"}, {"properties", {{"command", {{"type", "string"}}}}}}}}}}};
  json body = {{"contents", {{{"role", "user"}, {"parts", {{{"text", "go"}}}}}}},
               {"tools", {shell}}};
  auto events = sse_payloads(
      post(server, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", body));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["candidates"][0]["content"]["parts"][0]["functionCall"]["args"]["command"],
            "echo hello > out.txt");

  json router = {{"contents", json::array()},
                 {"generationConfig",
                  {{"responseJsonSchema",
                    {{"type", "object"},
                     {"properties",
                      {{"complexity_reasoning", {{"type", "string"}}},
                       {"complexity_score", {{"type", "integer"}, {"minimum", 1}}}}}}}}}};
  json reply = json::parse(post(server, "/v1beta/models/lite:generateContent", router));
  json structured =
      json::parse(reply["candidates"][0]["content"]["parts"][0]["text"].get<std::string>());
  EXPECT_TRUE(structured["complexity_reasoning"].is_string());
  EXPECT_EQ(structured["complexity_score"], 1);
}

TEST(ModelServer, ScriptedRateLimitCarriesRetryAfter) {
  test::ModelServer server(
      R"([{"error": {"status": 429, "retry_after": 42, "message": "slow down"}}])");
  int status = 0;
  std::string retry_after;
  std::string body =
      post(server, "/v1/chat/completions", {{"messages", json::array()}}, &status, &retry_after);
  EXPECT_EQ(status, 429);
  EXPECT_EQ(retry_after, "42");
  EXPECT_EQ(json::parse(body)["error"]["type"], "rate_limit_exceeded");
}

TEST(ModelServer, LogsHeadersModelsAndUnknownEndpoints) {
  test::ModelServer server(R"({"steps": [{"text": "x"}], "models": ["a", "b"]})");
  httplib::Client client("127.0.0.1", server.port());
  httplib::Headers headers = {{"Authorization", "Bearer dummy"}};
  auto models = client.Get("/v1/models", headers);
  ASSERT_TRUE(models);
  EXPECT_EQ(json::parse(models->body)["data"][1]["id"], "b");
  auto missing = client.Post("/v2/other", "{}", "application/json");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto log = server.requests();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["headers"]["authorization"], "Bearer dummy");
  EXPECT_EQ(log[1]["reply"]["kind"], "unknown-endpoint");
}

}  // namespace
}  // namespace omk
