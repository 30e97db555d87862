#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "cli/context.h"
#include "cli/sandbox_report.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/log.h"
#include "core/output.h"
#include "process/cancel.h"
#include "safety/env_policy.h"
#include "sandbox/sandboxed_run.h"

namespace omk::cli {
namespace fs = std::filesystem;

namespace {

struct RunFlags {
  std::string profile;
  bool allow_net = false;
  std::vector<std::string> writable;
  std::vector<std::string> readable;
  bool require = false;
  double timeout_s = 0;
  std::string dir;
  bool json = false;
  std::vector<std::string> command;
};

// The child gets the safety layer's environment (allowlist, grants, no secrets, no OMK_*),
// then the sandbox's private HOME and TMPDIR, which omk's own code sets last.
EnvMap sandbox_run_child_environment(const EnvMap& parent, const Config& config,
                                     const sandbox::Sandbox& box) {
  safety::ChildEnv child =
      safety::build_child_env(parent, {}, {}, safety::env_policy_from_config(config, parent));
  for (const auto& warning : child.warnings) log::warn("{}", warning);
  for (const auto& dropped : child.dropped) {
    log::debug("child env: {} withheld ({})", dropped.name, safety::to_string(dropped.reason));
  }
  box.apply_to_environment(child.env);
  return std::move(child.env);
}

fs::path expand_root(const std::string& text, const fs::path& project, const EnvMap& env) {
  if (text == "~" || text.rfind("~/", 0) == 0) {
    auto home = env_value(env, "HOME");
    if (!home || home->empty()) throw usage_error("cannot expand " + text + ": HOME is not set");
    return fs::path(*home) / text.substr(text.size() > 1 ? 2 : 1);
  }
  fs::path path(text);
  return path.is_absolute() ? path : project / path;
}

sandbox::Profile choose_profile(const RunFlags& flags, const Config& config) {
  if (!flags.profile.empty()) {
    auto profile = sandbox::parse_profile(flags.profile);
    if (!profile) {
      throw usage_error("--profile " + flags.profile +
                        " is not one of: read-only, workspace-write, full-access");
    }
    return *profile;
  }
  // runtime.sandbox caps what a write turn may get; full access is never a default.
  return config.string("runtime.sandbox") == "read-only" ? sandbox::Profile::kReadOnly
                                                         : sandbox::Profile::kWorkspaceWrite;
}

process::StdinSource stdin_source() {
  if (::fcntl(STDIN_FILENO, F_GETFD) < 0 || ::isatty(STDIN_FILENO))
    return process::StdinSource::none();
  // Copied through a pipe: the child never gets omk's own descriptor (which could be a socket).
  return process::StdinSource::forward(STDIN_FILENO);
}

int report_outcome(const RunFlags& flags, const process::RunResult& result) {
  if (result.start_failure) {
    log::error("cannot run {}: {}", flags.command.front(), result.start_failure->message());
  } else if (result.timed_out) {
    log::error("{} timed out after {}s; its process group was stopped", flags.command.front(),
               flags.timeout_s);
  } else if (result.cancelled) {
    log::note("interrupted; {} and its process group were stopped", flags.command.front());
  }
  return result.exit_code;
}

int run_sandbox_run(const RunFlags& flags, const Context& context) {
  if (flags.command.empty()) {
    throw usage_error("no command given: omk sandbox run [options] -- CMD ARGS...");
  }
  if (flags.timeout_s < 0 || !std::isfinite(flags.timeout_s)) {
    throw usage_error("--timeout must be a positive number of seconds");
  }
  RootQuery query = root_query_from_process(context.project_flag);
  std::optional<fs::path> dir;
  if (!flags.dir.empty()) {
    dir = fs::absolute(flags.dir);
    std::error_code ec;
    if (!fs::is_directory(*dir, ec)) throw usage_error("-C " + flags.dir + " is not a directory");
    query.cwd = *dir;
  }
  ProjectRoot root = resolve_project_root(query);
  Config config = context.config(root);

  sandbox::SandboxRequest request;
  request.profile = choose_profile(flags, config);
  request.allow_network = flags.allow_net;
  request.workspace = dir ? *dir : root.path;
  for (const auto& text : config.strings("sandbox.writable_roots")) {
    request.writable_roots.push_back(expand_root(text, root.path, context.env));
  }
  for (const auto& text : flags.writable) request.writable_roots.push_back(fs::absolute(text));
  for (const auto& text : config.strings("sandbox.readable_roots")) {
    request.readable_roots.push_back(expand_root(text, root.path, context.env));
  }
  for (const auto& text : flags.readable) request.readable_roots.push_back(fs::absolute(text));
  if (request.profile == sandbox::Profile::kReadOnly && !flags.writable.empty()) {
    throw usage_error("--writable needs --profile workspace-write");
  }
  if (request.profile == sandbox::Profile::kReadOnly) request.writable_roots.clear();
  request.require = flags.require || config.boolean("sandbox.require");
  request.original_home = env_value(context.env, "HOME").value_or("");
  request.bridge_shell_profiles = env_flag(context.env, "OMK_ISOLATED_HOME_BRIDGE_SHELL_PROFILES");
  request.scratch_base = env_value(context.env, "TMPDIR").value_or("");
  auto box = sandbox::Sandbox::prepare(request);

  process::RunOptions options;
  options.spawn.argv = flags.command;
  options.spawn.env = sandbox_run_child_environment(context.env, config, *box);
  // The child sees canonical paths only; a working directory outside the workspace is not
  // in its filesystem, so it starts in the workspace then.
  std::error_code ec;
  fs::path cwd = fs::canonical(dir ? *dir : query.cwd, ec);
  const fs::path& workspace = box->request().workspace;
  auto [end, ignored] = std::mismatch(workspace.begin(), workspace.end(), cwd.begin(), cwd.end());
  if (ec || end != workspace.end()) cwd = workspace;
  options.spawn.cwd = cwd;
  options.stdin_source = stdin_source();
  if (flags.timeout_s > 0) {
    options.timeout =
        std::chrono::milliseconds(static_cast<int64_t>(std::ceil(flags.timeout_s * 1000)));
  }
  if (!flags.json) {
    options.out.on_data = [](std::string_view text) { print_out(text); };
    options.err.on_data = [](std::string_view text) { print_err(text); };
    warn_about_enforcement(box->enforcement());
  }
  process::CancelToken cancel;
  options.cancel = &cancel;
  process::RunResult result;
  auto warned = box->enforcement().missing();
  {
    process::InterruptScope interrupts(cancel);
    result = sandbox::run_sandboxed(*box, options);
  }
  if (!flags.json) {
    // A layer the kernel refused only at spawn time is dropped and said here.
    for (const auto& missing : box->enforcement().missing()) {
      if (std::find(warned.begin(), warned.end(), missing) == warned.end()) {
        log::warn("sandbox layer missing: {}", missing);
      }
    }
  }
  if (flags.json) {
    auto document = json_envelope("sandbox-run");
    document["command"] = flags.command;
    document["workspace"] = box->request().workspace.string();
    document["cwd"] = cwd.string();
    document["sandbox"] = sandbox::to_json(box->enforcement());
    document["result"] = run_result_json(result);
    print_json(document);
    return result.exit_code;
  }
  return report_outcome(flags, result);
}

}  // namespace

void register_sandbox_command(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand(
      "sandbox", "Inspect and use the OS sandbox every agent child runs in (docs/sandbox.md)");
  group->require_subcommand(1);

  auto probe_json = std::make_shared<bool>(false);
  auto* probe = group->add_subcommand(
      "probe",
      "Show what this machine's kernel lets omk enforce, per profile, and what is missing");
  probe->add_flag("--json", *probe_json, "Print one omk.sandbox-probe.v1 JSON document");
  probe->callback([&context, probe_json] {
    context.action = [&context, probe_json] { return run_sandbox_probe(*probe_json, context); };
  });

  auto flags = std::make_shared<RunFlags>();
  auto* run = group->add_subcommand(
      "run",
      "Run one command exactly as a lane would: scrubbed environment, private HOME and TMPDIR,\n"
      "the sandbox, redacted output. Exits with the command's status (124 on timeout, 130 when\n"
      "interrupted, 3 when --require-sandbox refuses).");
  run->add_option("--profile", flags->profile,
                  "read-only, workspace-write (default, capped by runtime.sandbox) or full-access")
      ->type_name("PROFILE");
  run->add_flag("--allow-net", flags->allow_net, "Let the command use the network");
  run->add_option("--writable", flags->writable, "Another directory it may write (repeatable)")
      ->type_name("DIR");
  run->add_option("--readable", flags->readable, "Another directory it may read (repeatable)")
      ->type_name("DIR");
  run->add_flag("--require-sandbox", flags->require,
                "Refuse (exit 3) if a sandbox layer is missing here (also: sandbox.require)");
  run->add_option(
         "--timeout", flags->timeout_s,
         "Stop it after this many seconds: SIGTERM to its group, SIGKILL 2s later (exit 124)")
      ->type_name("SECONDS");
  run->add_option("-C", flags->dir,
                  "Workspace and working directory (default: the project root; the current "
                  "directory)")
      ->type_name("DIR");
  run->add_flag("--json", flags->json,
                "Capture the output and print one omk.sandbox-run.v1 JSON document");
  run->add_option("command", flags->command, "The command and its arguments, after --")
      ->type_name("CMD ARGS...");
  run->positionals_at_end();
  run->callback([&context, flags] {
    context.action = [&context, flags] { return run_sandbox_run(*flags, context); };
  });
}

}  // namespace omk::cli
