#include "cli/app.h"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <sstream>

#include "cli/context.h"
#include "cli/mcp_support.h"
#include "core/build_info.h"
#include "core/error.h"
#include "core/log.h"
#include "core/output.h"
#include "safety/redactor.h"

namespace omk::cli {
namespace {

constexpr const char* kDescription =
    "omk - a control plane for AI coding agents: routes work to a healthy agent, runs it in a\n"
    "sandbox with a scrubbed environment, gates done on evidence and records every run.";

int print_parse_error(CLI::App& app, const CLI::ParseError& error) {
  std::ostringstream out;
  std::ostringstream err;
  int code = app.exit(error, out, err);
  print_out(out.str());
  if (code == 0) return 0;  // --help, --version
  print_err("omk: error: " + std::string(error.what()) + "\n");
  print_err("Run 'omk --help' (or 'omk <command> --help') for usage.\n");
  return to_int(ExitCode::kUsage);
}

}  // namespace

int run(int argc, char** argv) {
  // First, before anything can print: every byte omk writes (stdout, stderr, logs, JSON, child
  // output streams) goes through the redactor from here on, which also knows the secret values
  // in omk's own environment.
  safety::install_redactor(current_environment());

  CLI::App app(kDescription, "omk");
  app.require_subcommand(0, 1);
  app.fallthrough();

  Context context;
  app.add_option("--project", context.project_flag,
                 "Project directory (default: found from the current directory)")
      ->type_name("DIR");

  app.add_flag_callback(
      "--version",
      [&context] {
        context.action = [] {
          print_out("omk " + build_info().version + "\n");
          return 0;
        };
      },
      "Print omk's version and exit (see also: omk version)");

  register_version_command(app, context);
  register_init_command(app, context);
  register_config_command(app, context);
  register_run_command(app, context);
  register_dag_command(app, context);
  register_runs_command(app, context);
  register_inspect_command(app, context);
  register_verify_command(app, context);
  register_merge_command(app, context);
  register_env_command(app, context);
  register_secrets_command(app, context);
  register_guard_command(app, context);
  register_hook_command(app, context);
  register_sandbox_command(app, context);
  register_image_command(app, context);
  register_mcp_command(app, context);
  register_provider_command(app, context);
  register_route_command(app, context);
  register_doctor_command(app, context);
  register_chat_command(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return print_parse_error(app, error);
  }

  if (!context.action && ::isatty(STDIN_FILENO) == 1) {
    // Bare `omk` on a terminal is the root loop. Without one (a script, a pipe) it keeps
    // printing its help, so nothing waits on a prompt nobody answers.
    context.action = [&context] { return start_chat_session(context); };
  }
  if (!context.action) {
    print_out(app.help());
    // The offline tool-plane summary (promise 8: nothing is started to build it).
    if (std::string summary = startup_tool_plane_summary(context); !summary.empty()) {
      print_out("\n" + summary);
    }
    return 0;
  }
  try {
    return context.action();
  } catch (const UserError& error) {
    log::error("{}", error.what());
    return to_int(error.code());
  }
}

}  // namespace omk::cli
