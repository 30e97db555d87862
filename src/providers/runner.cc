#include "providers/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/log.h"
#include "process/prompt_file.h"
#include "providers/api_client.h"
#include "providers/health_check.h"
#include "providers/health_state.h"
#include "providers/mcp_materialise.h"
#include "providers/policy.h"
#include "providers/registry.h"
#include "providers/settings.h"
#include "providers/workspace_changes.h"
#include "sandbox/sandboxed_run.h"

namespace omk::providers {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

int64_t elapsed_ms(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

TurnResult refused(TurnResult result, const std::string& why) {
  result.failure = FailureCategory::kRefusedByPolicy;
  result.exit_code = 3;
  result.message = fmt::format("{} refused ({}): {}", result.provider,
                               to_string(FailureCategory::kRefusedByPolicy), why);
  return result;
}

// The approval question omk asks itself, for CLIs that cannot ask in headless mode. `ask` is
// never turned into "never ask": without someone to answer, the run is refused.
std::optional<std::string> approval_refusal(const Adapter& adapter, const TurnRequest& request,
                                            Execution execution, sandbox::Profile profile) {
  CapabilitySet needs = capabilities_for(request.risk);
  if (!needs.write_capable() || !adapter.spec().cannot_ask_headless) return std::nullopt;
  switch (execution) {
    case Execution::kAuto:
      return std::nullopt;
    case Execution::kNever:
      return fmt::format(
          "--execution never forbids a {} turn, and {} would act without asking ({})",
          to_string(request.risk), adapter.id(), adapter.spec().headless_note);
    case Execution::kAsk:
      break;
  }
  if (!request.approve) {
    return fmt::format(
        "--execution ask needs someone to approve this {} turn ({}), and there is no one to "
        "ask here; run it from a terminal or choose --execution auto",
        to_string(request.risk), adapter.spec().headless_note);
  }
  ApprovalRequest question{adapter.id(), request.workspace, request.risk,
                           needs,        profile,           adapter.spec().headless_note};
  if (!request.approve(question)) return std::string("the approval was declined");
  return std::nullopt;
}

TurnResult run_api(const ProviderContext& context, const Adapter& adapter,
                   const TurnRequest& request, TurnResult result) {
  ProviderSettings settings = provider_settings(context.config, adapter.id());
  ChatRequest chat;
  chat.base_url = api_base_url(adapter, settings);
  std::string variable =
      settings.api_key_env.empty() ? adapter.spec().default_api_key_env : settings.api_key_env;
  if (!variable.empty()) chat.api_key = env_value(context.omk_env, variable).value_or("");
  chat.model = result.model;
  chat.system =
      "You are a read-only reviewer and advisor. You cannot run commands or change files; "
      "answer with analysis and advice only.";
  chat.user = request.prompt;
  chat.timeout = request.timeout.value_or(
      std::chrono::milliseconds(context.config.integer("runtime.turn_timeout_ms")));
  chat.cancel = request.cancel;
  if (request.on_event) {
    chat.on_delta = [&](std::string_view delta) {
      request.on_event({TurnEvent::Kind::kText, std::string(delta), "", std::nullopt, "", ""});
    };
  }
  if (chat.base_url.empty()) {
    result.failure = FailureCategory::kNotInstalled;
    result.exit_code = 1;
    result.message = failure_message(
        adapter.id(), result.failure,
        {fmt::format("no base URL: set [providers.{}] base_url", adapter.id()), "", ""},
        context.omk_env);
    return result;
  }
  ChatResponse response = chat_completion(chat);
  result.final_message = response.text;
  result.usage = response.usage;
  result.retry_after_s = response.retry_after_s;
  result.success = response.ok;
  result.exit_code = response.ok ? 0 : response.cancelled ? 130 : 1;
  result.failure = response.ok ? FailureCategory::kNone : response.failure;
  if (!response.ok) {
    result.message = failure_message(adapter.id(), result.failure,
                                     {response.summary, response.error_body, ""}, context.omk_env);
  }
  record_outcome_rate_limit(context.root, adapter.id(),
                            result.failure == FailureCategory::kRateLimited, response.retry_after_s,
                            response.summary);
  return result;
}

void write_private_file(const fs::path& path, const std::string& content) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  write_file_atomic(path, content, 0600);
}

std::vector<std::string> relative_changes(const fs::path& workspace, const TurnResult& result,
                                          const std::optional<WorkspaceSnapshot>& before,
                                          const std::optional<WorkspaceSnapshot>& after) {
  std::set<std::string> files;
  if (before && after) files = changed_paths(*before, *after);
  std::error_code ec;
  fs::path base = fs::weakly_canonical(workspace, ec);
  for (const TurnEvent& event : result.events) {
    if (event.kind != TurnEvent::Kind::kFileChange || event.path.empty()) continue;
    fs::path path(event.path);
    if (path.is_absolute()) path = fs::weakly_canonical(path, ec).lexically_relative(base);
    std::string text = path.lexically_normal().string();
    if (!text.empty() && text.rfind("..", 0) != 0) files.insert(text);
  }
  return {files.begin(), files.end()};
}

TurnResult run_cli(const ProviderContext& context, const Adapter& adapter,
                   const ProviderStatus& status, const TurnRequest& request, const ToolPlane& tools,
                   sandbox::Profile profile, Execution execution, TurnResult result) {
  const ProviderSettings& settings = status.settings;

  ScopedServers scoped;
  if (!request.mcp_servers.empty()) {
    if (tools.inventory == nullptr) {
      throw policy_error(
          fmt::format("MCP servers were named for a {} turn without a tool plane", adapter.id()));
    }
    scoped = scope_servers(*tools.inventory, request.mcp_servers, tools.grants);
  }

  sandbox::SandboxRequest box_request =
      base_sandbox_request(context, adapter, profile, request.workspace);
  box_request.allow_network = true;  // the CLI talks to its model
  for (const fs::path& root : runtime_roots(*status.binary)) {
    box_request.readable_roots.push_back(root);
  }
  auto box = sandbox::Sandbox::prepare(box_request);
  const sandbox::LayerStatus* landlock = box->enforcement().layer("landlock");

  CliTurn turn;
  turn.risk = request.risk;
  turn.needs = capabilities_for(request.risk);
  turn.execution = execution;
  turn.profile = profile;
  turn.omk_sandbox = landlock != nullptr && landlock->enforced;
  turn.binary = status.binary->path;
  turn.workspace = box->request().workspace;
  turn.home = box->home();
  turn.real_home = context.home;
  turn.run_dir = request.run_dir.empty() ? box->temp_dir() / "omk-run" : request.run_dir;
  turn.model = result.model;
  turn.dialect = status.health.dialect;
  turn.settings = settings;
  if (!settings.api_key_env.empty()) {
    turn.api_key = env_value(context.omk_env, settings.api_key_env).value_or("");
  }
  safety::AdapterEnvDeclaration declaration =
      env_declaration(adapter, settings.api_key_env, scoped.granted_variables);
  for (const std::string& name : declaration.credentials) {
    if (env_value(context.omk_env, name)) turn.credentials_present.push_back(name);
  }
  turn.mcp_servers = scoped.servers;
  std::optional<process::PromptFile> prompt_file;
  if (adapter.spec().prompt == PromptTransport::kFile) {
    prompt_file.emplace(box->temp_dir(), request.prompt);
    turn.prompt_file = prompt_file->path();
  }
  if (request.skills && tools.inventory != nullptr && !tools.inventory->skills.empty() &&
      !adapter.spec().skills_dir.empty()) {
    fs::path skills = box->home() / adapter.spec().skills_dir;
    for (const auto& skill : tools.inventory->skills) {
      std::error_code ec;
      fs::path source = fs::path(skill.path).parent_path();
      fs::create_directories(skills, ec);
      fs::copy(source, skills / source.filename(),
               fs::copy_options::recursive | fs::copy_options::skip_existing, ec);
      if (ec) result.notes.push_back("skill " + skill.name + " not copied: " + ec.message());
    }
    turn.skills_dir = skills;
  }

  CliInvocation call = adapter.build(turn);
  for (const auto& [path, content] : call.home_files) {
    write_private_file(path.is_absolute() ? path : box->home() / path, content);
  }
  for (const auto& [path, content] : call.files) write_private_file(path, content);
  for (const std::string& note : scoped.notes) result.notes.push_back(note);
  for (const std::string& note : call.notes) result.notes.push_back(note);

  safety::EnvPolicy policy =
      safety::env_policy_from_config(context.config, context.omk_env, &declaration);
  policy.explicit_context = adapter.id() + " adapter";
  safety::RunMetadata metadata;
  metadata.run_id = request.run_id;
  metadata.node_id = request.node_id;
  metadata.node_role = request.node_role;
  metadata.capabilities = Json(turn.needs.names());
  safety::ChildEnv child = safety::build_child_env(context.omk_env, call.env, metadata, policy);
  for (const std::string& warning : child.warnings) log::warn("{}", warning);
  box->apply_to_environment(child.env);

  process::RunOptions run;
  run.spawn.argv = call.argv;
  run.spawn.env = child.env;
  run.spawn.cwd = turn.workspace;
  run.stdin_source = call.prompt_on_stdin ? process::StdinSource::text(request.prompt)
                                          : process::StdinSource::none();
  run.timeout = request.timeout.value_or(
      std::chrono::milliseconds(context.config.integer("runtime.turn_timeout_ms")));
  run.cancel = request.cancel;
  run.out.capture_limit = 4 << 20;
  run.err.capture_limit = 256 << 10;
  std::unique_ptr<OutputParser> parser = adapter.parser();
  std::function<void(const TurnEvent&)> emit = [&](const TurnEvent& event) {
    if (request.on_event) request.on_event(event);
  };
  run.out.on_data = [&](std::string_view chunk) { parser->feed(chunk, emit); };

  int64_t timeout_ms = run.timeout->count();
  auto before = snapshot_workspace(turn.workspace, context.omk_env);
  process::RunResult outcome = sandbox::run_sandboxed(*box, std::move(run));
  auto after = snapshot_workspace(turn.workspace, context.omk_env);
  result.sandbox = sandbox::to_json(box->enforcement());

  parser->finish(result);
  result.files_changed = relative_changes(turn.workspace, result, before, after);
  result.exit_code = outcome.exit_code;
  RunOutcome seen;
  seen.exit_code = outcome.exit_code;
  seen.timed_out = outcome.timed_out;
  seen.cancelled = outcome.cancelled;
  seen.signalled = outcome.status && outcome.status->signaled();
  seen.start_failed = outcome.start_failure.has_value();
  seen.stdout_tail = outcome.out.text.size() > 65536
                         ? outcome.out.text.substr(outcome.out.text.size() - 65536)
                         : outcome.out.text;
  seen.stderr_tail = outcome.err.text;
  seen.parsed = &result;
  // Only a failed run is classified: the output of a successful one is the agent's work, which
  // may well mention "401" or "not logged in".
  bool failed = outcome.exit_code != 0 || outcome.timed_out || outcome.cancelled ||
                outcome.start_failure || result.failure != FailureCategory::kNone;
  FailureCategory category = failed ? adapter.classify(seen) : FailureCategory::kNone;
  if (failed && category == FailureCategory::kNone) {
    // Exit 0 but the CLI's own events report a failure: say what kind from its output.
    category = classify_provider_text(seen.stdout_tail + "\n" + seen.stderr_tail)
                   .value_or(result.failure == FailureCategory::kNone ? FailureCategory::kError
                                                                      : result.failure);
  }
  result.failure = category;
  result.success = category == FailureCategory::kNone;
  if (!result.success) {
    std::string summary =
        outcome.start_failure
            ? fmt::format("{} could not start: {}", adapter.id(), outcome.start_failure->message())
        : outcome.timed_out
            ? fmt::format("{} did not finish within {} ms", adapter.id(), timeout_ms)
        : outcome.cancelled ? fmt::format("{} was interrupted", adapter.id())
                            : fmt::format("{} exited {}", adapter.id(), outcome.exit_code);
    result.message = failure_message(
        adapter.id(), category, {summary, outcome.err.text, outcome.out.text}, context.omk_env);
    if (result.exit_code == 0) result.exit_code = 1;
  }
  record_outcome_rate_limit(context.root, adapter.id(), category == FailureCategory::kRateLimited,
                            std::nullopt, fmt::format("{} reported a rate limit", adapter.id()));
  return result;
}

}  // namespace

sandbox::Profile turn_profile(const ProviderContext& context, const TurnRequest& request) {
  if (request.risk == Risk::kRead) return sandbox::Profile::kReadOnly;
  if (request.profile) return *request.profile;
  return context.config.string("runtime.sandbox") == "read-only"
             ? sandbox::Profile::kReadOnly
             : sandbox::Profile::kWorkspaceWrite;
}

TurnResult run_turn(const ProviderContext& context, const TurnRequest& request,
                    const ToolPlane& tools) {
  auto start = Clock::now();
  CapabilitySet needs = capabilities_for(request.risk);
  // A policy name (auto, authority, ...) is resolved among every provider; a concrete id is
  // still checked: nothing runs on a provider that is not healthy on all four answers.
  const Adapter* named = find_adapter(request.provider);
  std::vector<ProviderStatus> statuses;
  std::string resolved_how;
  const Adapter* adapter = named;
  if (adapter == nullptr) {
    statuses = check_providers(context);
    Resolution resolution = resolve_policy(request.provider, needs, statuses, context.config);
    adapter = find_adapter(resolution.provider);
    resolved_how = fmt::format("'{}' resolved to {}: {}", resolution.policy, resolution.provider,
                               resolution.how);
  }
  TurnResult result;
  result.provider = adapter->id();
  if (!resolved_how.empty()) result.notes.push_back(resolved_how);
  ProviderSettings settings = provider_settings(context.config, adapter->id());
  result.model = request.model.empty() ? selected_model(*adapter, settings) : request.model;

  CapabilitySet missing = adapter->spec().capabilities.missing_from(needs);
  if (!missing.empty()) {
    return refused(std::move(result),
                   fmt::format("a {} turn needs {}, which {} cannot do{}", to_string(request.risk),
                               missing.joined(), adapter->id(),
                               adapter->is_api() ? " (read/review/advisory only)" : ""));
  }
  sandbox::Profile profile = turn_profile(context, request);
  Execution execution = request.execution.value_or(
      parse_execution(context.config.string("runtime.execution")).value_or(Execution::kAsk));
  if (auto why = approval_refusal(*adapter, request, execution, profile)) {
    return refused(std::move(result), *why);
  }
  if (named != nullptr) {
    HealthOptions options;
    options.only = {adapter->id()};
    statuses = check_providers(context, options);
    resolve_policy(adapter->id(), needs, statuses, context.config);  // exit 4 when unhealthy
  }
  const ProviderStatus* status = nullptr;
  for (const ProviderStatus& candidate : statuses) {
    if (candidate.adapter == adapter) status = &candidate;
  }
  result = adapter->is_api() ? run_api(context, *adapter, request, std::move(result))
                             : run_cli(context, *adapter, *status, request, tools, profile,
                                       execution, std::move(result));
  result.duration_ms = elapsed_ms(start);
  return result;
}

}  // namespace omk::providers
