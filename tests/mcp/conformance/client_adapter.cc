// The program the MCP conformance suite runs as "the client under test":
//   conformance client --command "omk-mcp-conformance-client" --scenario NAME
// The harness appends the URL of its test server and names the scenario in
// MCP_CONFORMANCE_SCENARIO. The adapter uses omk's own client (mcp/client.h) the way
// `omk mcp test` does: connect (era probe, then the handshake), list the tools, call each one
// with arguments built from its input schema, and close.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "mcp/client.h"
#include "mcp/http_transport.h"

namespace {

using omk::Json;

// A plausible value for each property of a tool's input schema.
Json arguments_for(const Json& tool) {
  Json args = Json::object();
  auto schema = tool.find("inputSchema");
  if (schema == tool.end() || !schema->is_object()) return args;
  auto properties = schema->find("properties");
  if (properties == schema->end() || !properties->is_object()) return args;
  int n = 1;
  for (const auto& [name, property] : properties->items()) {
    std::string type = property.is_object() ? property.value("type", "string") : "string";
    if (type == "number" || type == "integer") {
      args[name] = n++;
    } else if (type == "boolean") {
      args[name] = true;
    } else if (type == "array") {
      args[name] = Json::array();
    } else if (type == "object") {
      args[name] = Json::object();
    } else {
      args[name] = "omk";
    }
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SERVER_URL\n", argv[0]);
    return 2;
  }
  const char* scenario = std::getenv("MCP_CONFORMANCE_SCENARIO");
  omk::mcp::HttpEndpoint endpoint;
  endpoint.url = argv[argc - 1];
  omk::mcp::ClientOptions options;
  options.client_name = "omk-conformance-client";
  options.client_version = "1.0.0";
  options.startup_timeout_ms = 10000;
  options.request_timeout_ms = 10000;
  omk::mcp::McpClient client([&] { return std::make_unique<omk::mcp::HttpTransport>(endpoint); },
                             options);
  try {
    const auto& identity = client.connect();
    std::fprintf(stderr, "connected to %s %s (%s, %s)\n", identity.name.c_str(),
                 identity.version.c_str(), std::string(to_string(identity.era)).c_str(),
                 identity.protocol_version.c_str());
    auto tools = client.list_tools();
    for (const Json& tool : tools) {
      std::string name = tool.value("name", "");
      Json result = client.call_tool(name, arguments_for(tool));
      std::fprintf(stderr, "called %s: %s\n", name.c_str(), result.dump().substr(0, 200).c_str());
    }
    client.close();
  } catch (const omk::mcp::McpError& error) {
    std::fprintf(stderr, "%s: %s (scenario %s)\n", std::string(to_string(error.category())).c_str(),
                 error.what(), scenario ? scenario : "?");
    return 1;
  }
  return 0;
}
