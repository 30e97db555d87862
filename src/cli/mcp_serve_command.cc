// `omk mcp serve omk-project [--http PORT]`: omk's own MCP server for agents.
#include <fmt/format.h>
#include <unistd.h>

#include "cli/mcp_support.h"
#include "core/error.h"
#include "core/output.h"
#include "mcp/http_server.h"
#include "mcp/omk_project_server.h"
#include "mcp/stdio_server.h"

namespace omk::cli {
namespace {

struct ServeFlags {
  std::string name;
  std::optional<int> http_port;
};

int run_serve(const ServeFlags& flags, const Context& context) {
  if (flags.name != "omk-project") {
    throw usage_error(fmt::format(
        "unknown built-in MCP server \"{}\"; the one omk serves is omk-project", flags.name));
  }
  ProjectRoot root = context.project_root();
  auto server = mcp::make_omk_project_server(root.path, context.env);
  if (!flags.http_port) return mcp::serve_stdio(*server, STDIN_FILENO, STDOUT_FILENO);
  mcp::HttpServeOptions options;
  options.port = *flags.http_port;
  options.on_listening = [&](int port) {
    // stderr: stdout stays free for whoever runs it; the URL is how clients find the server.
    print_err(
        fmt::format("omk-project MCP server for {} listening on http://127.0.0.1:{}/mcp "
                    "(Ctrl-C stops it)\n",
                    root.path.string(), port));
  };
  return mcp::serve_http(*server, options);
}

}  // namespace

void register_mcp_serve_command(CLI::App& group, Context& context) {
  auto flags = std::make_shared<ServeFlags>();
  auto* serve = group.add_subcommand(
      "serve",
      "Run omk's built-in MCP server, omk-project (read-only project tools for agents), on "
      "stdio or with --http PORT on 127.0.0.1");
  serve->add_option("name", flags->name, "The built-in server: omk-project")->required();
  serve
      ->add_option("--http", flags->http_port,
                   "Serve Streamable HTTP on 127.0.0.1:PORT instead of stdio (0: any free port)")
      ->type_name("PORT")
      ->check(CLI::Range(0, 65535));
  serve->callback([&context, flags] {
    context.action = [&context, flags] { return run_serve(*flags, context); };
  });
}

}  // namespace omk::cli
