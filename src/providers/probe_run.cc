#include "providers/probe_run.h"

#include "core/error.h"
#include "providers/settings.h"
#include "sandbox/sandboxed_run.h"

namespace omk::providers {

ProbeRun run_probe(const Adapter& adapter, const FoundBinary& binary,
                   const std::vector<std::string>& args, const ProviderContext& context,
                   bool with_login, std::chrono::milliseconds timeout) {
  ProbeRun probe;
  try {
    sandbox::SandboxRequest request =
        base_sandbox_request(context, adapter, sandbox::Profile::kReadOnly, context.root);
    request.require = false;  // a probe reports; it does not refuse
    if (!with_login) request.home_entries.clear();
    for (const auto& root : runtime_roots(binary)) request.readable_roots.push_back(root);
    auto box = sandbox::Sandbox::prepare(request);

    auto declaration =
        env_declaration(adapter, provider_settings(context.config, adapter.id()).api_key_env, {});
    safety::EnvPolicy policy =
        safety::env_policy_from_config(context.config, context.omk_env, &declaration);
    safety::ChildEnv child = safety::build_child_env(context.omk_env, {}, {}, policy);
    box->apply_to_environment(child.env);

    process::RunOptions options;
    options.spawn.argv = {binary.path.string()};
    for (const std::string& arg : args) options.spawn.argv.push_back(arg);
    options.spawn.env = child.env;
    options.spawn.cwd = box->request().workspace;
    options.timeout = timeout;
    options.kill_grace = std::chrono::milliseconds(500);
    options.out.capture_limit = 256 << 10;
    options.err.capture_limit = 64 << 10;
    process::RunResult result = sandbox::run_sandboxed(*box, std::move(options));
    probe.start_failed = result.start_failure.has_value();
    probe.timed_out = result.timed_out;
    probe.exit_code = result.exit_code;
    probe.out = result.out.text;
    probe.err = result.err.text;
    if (probe.start_failed) probe.problem = "could not start: " + result.start_failure->message();
    if (probe.timed_out) probe.problem = "did not answer within the probe's time limit";
  } catch (const UserError& error) {
    probe.start_failed = true;
    probe.problem = error.what();
  }
  return probe;
}

}  // namespace omk::providers
