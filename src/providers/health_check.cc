#include "providers/health_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <thread>

#include "core/output.h"
#include "providers/api_client.h"
#include "providers/failure.h"
#include "providers/health_state.h"
#include "providers/probe_cache.h"
#include "providers/probe_run.h"
#include "providers/registry.h"

namespace omk::providers {
namespace {

bool matches(const std::string& pattern, const std::string& model) {
  if (pattern == "*/*") return model.find('/') != std::string::npos;
  if (!pattern.empty() && pattern.back() == '*') {
    return model.rfind(pattern.substr(0, pattern.size() - 1), 0) == 0;
  }
  return pattern == model;
}

bool valid_base_url(const std::string& url) {
  return (url.rfind("http://", 0) == 0 && url.size() > 7) ||
         (url.rfind("https://", 0) == 0 && url.size() > 8);
}

std::string debug_suffix(const ProbeRun& run, const ProviderContext& context) {
  FailurePreview preview{"", run.err, run.out};
  std::string shown = debug_preview(preview, context.omk_env, 600);
  if (!shown.empty()) return shown;
  if (run.err.empty() && run.out.empty()) return "";
  return "; set OMK_DEBUG=1 to see its output (redacted)";
}

// The part of a check that may start a process.
struct PendingProbe {
  ProviderStatus* status = nullptr;
  bool version = false;
  bool login = false;
  std::string help;
  ProbeRun version_run;
  ProbeRun login_run;
};

void run_probes(PendingProbe& pending, const ProviderContext& context,
                const HealthOptions& options) {
  const Adapter& adapter = *pending.status->adapter;
  const FoundBinary& binary = *pending.status->binary;
  if (pending.version) {
    pending.version_run =
        run_probe(adapter, binary, adapter.version_args(), context, false, options.probe_timeout);
    if (adapter.wants_help_probe() && pending.version_run.exit_code == 0) {
      pending.help =
          run_probe(adapter, binary, {"--help"}, context, false, options.probe_timeout).out;
    }
  }
  if (pending.login) {
    pending.login_run =
        run_probe(adapter, binary, adapter.auth_probe_args(), context, true, options.probe_timeout);
  }
}

Answer model_answer(const Adapter& adapter, const ProviderSettings& settings) {
  std::string model = selected_model(adapter, settings);
  if (model.empty()) {
    if (adapter.is_api()) {
      return Answer::no(fmt::format("no model configured: set [providers.{}] model", adapter.id()));
    }
    return Answer::yes("the CLI's own default model");
  }
  if (known_model(adapter, model)) {
    return Answer::yes(fmt::format("{} is a known {} model", model, adapter.spec().display_name));
  }
  if (!settings.base_url.empty()) {
    // A gateway or a local server serves whatever models it has; omk's list is about the
    // vendor's own endpoint.
    return Answer::yes(
        fmt::format("{} is configured for [providers.{}] base_url; `omk provider "
                    "doctor {} --probe` asks the server",
                    model, adapter.id(), adapter.id()));
  }
  return Answer::unknown(fmt::format(
      "{} is not in omk's list of {} models; `omk provider doctor {} --probe` asks the provider",
      model, adapter.spec().display_name, adapter.id()));
}

void check_api(ProviderStatus& status, const ProviderContext& context,
               const HealthOptions& options) {
  const Adapter& adapter = *status.adapter;
  std::string base = api_base_url(adapter, status.settings);
  HealthEnv env{context.omk_env, context.home, status.settings};
  if (base.empty()) {
    status.health.available =
        Answer::no(fmt::format("no base URL: set [providers.{}] base_url", adapter.id()));
  } else if (!valid_base_url(base)) {
    status.health.available =
        Answer::no(fmt::format("[providers.{}] base_url is not an http(s) URL", adapter.id()));
  } else {
    status.health.available = Answer::yes("base URL " + base);
  }
  status.health.authenticated = adapter.check_auth(env);
  status.health.model = selected_model(adapter, status.settings);
  status.health.model_supported = model_answer(adapter, status.settings);
  if (!options.probe || !status.health.available.is_yes() ||
      !status.health.authenticated.is_yes()) {
    return;
  }
  status.health.probed = true;
  std::string variable = status.settings.api_key_env.empty() ? adapter.spec().default_api_key_env
                                                             : status.settings.api_key_env;
  std::string key = variable.empty() ? "" : env_value(context.omk_env, variable).value_or("");
  ModelListing listing = list_models(base, key, options.probe_timeout);
  if (listing.failure == FailureCategory::kNotAuthenticated) {
    status.health.authenticated = Answer::no(listing.summary + ": the key was refused");
  } else if (listing.failure == FailureCategory::kRateLimited) {
    record_outcome_rate_limit(context.root, adapter.id(), true, listing.retry_after_s,
                              listing.summary);
  } else if (listing.ok && !status.health.model.empty()) {
    bool listed = std::find(listing.models.begin(), listing.models.end(), status.health.model) !=
                  listing.models.end();
    status.health.model_supported =
        listed ? Answer::yes(fmt::format("{} is listed by GET /models", status.health.model))
               : Answer::no(fmt::format("{} is not among the {} models GET /models lists",
                                        status.health.model, listing.models.size()));
  } else if (!listing.ok) {
    status.health.model_supported =
        Answer::unknown(listing.summary + "; the model could not be checked");
  }
}

}  // namespace

std::string selected_model(const Adapter& adapter, const ProviderSettings& settings) {
  return settings.model.empty() ? adapter.spec().default_model : settings.model;
}

bool known_model(const Adapter& adapter, const std::string& model) {
  const auto& known = adapter.spec().known_models;
  return std::any_of(known.begin(), known.end(),
                     [&](const std::string& pattern) { return matches(pattern, model); });
}

std::string api_base_url(const Adapter& adapter, const ProviderSettings& settings) {
  return settings.base_url.empty() ? adapter.spec().default_base_url : settings.base_url;
}

std::vector<ProviderStatus> check_providers(const ProviderContext& context,
                                            const HealthOptions& options) {
  std::vector<ProviderStatus> statuses;
  for (const Adapter* adapter : adapters()) {
    if (!options.only.empty() &&
        std::find(options.only.begin(), options.only.end(), adapter->id()) == options.only.end()) {
      continue;
    }
    ProviderStatus status;
    status.adapter = adapter;
    status.settings = provider_settings(context.config, adapter->id());
    statuses.push_back(std::move(status));
  }

  ProbeCache cache = ProbeCache::load(context.probe_cache);
  std::vector<PendingProbe> pending;
  pending.reserve(statuses.size());
  for (ProviderStatus& status : statuses) {
    const Adapter& adapter = *status.adapter;
    if (adapter.is_api()) {
      check_api(status, context, options);
      continue;
    }
    HealthEnv env{context.omk_env, context.home, status.settings};
    status.health.authenticated = adapter.check_auth(env);
    status.health.model = selected_model(adapter, status.settings);
    status.health.model_supported = model_answer(adapter, status.settings);
    std::string name =
        status.settings.binary.empty() ? adapter.spec().binary_name : status.settings.binary;
    status.binary = find_binary(name, context.omk_env);
    if (!status.binary) {
      status.health.available =
          status.settings.binary.empty()
              ? Answer::no(
                    fmt::format("`{}` not found on PATH ({})", name, adapter.spec().install_hint))
              : Answer::no(fmt::format("[providers.{}] binary {} is not an executable file",
                                       adapter.id(), name));
      continue;
    }
    status.health.binary = status.binary->path.string();
    PendingProbe probe;
    probe.status = &status;
    if (auto cached = cache.find(adapter.id(), *status.binary)) {
      status.health.version = cached->version;
      status.health.dialect = cached->dialect;
      status.health.available =
          cached->ok ? Answer::yes(fmt::format("{} {} ({})", adapter.spec().binary_name,
                                               cached->version, status.binary->path.string()))
                     : Answer::no(cached->problem + " (cached; reinstalling re-probes)");
    } else {
      probe.version = true;
    }
    probe.login = options.probe && !adapter.auth_probe_args().empty();
    if (probe.version || probe.login) pending.push_back(std::move(probe));
  }

  // Cold probes in parallel: the slowest CLI sets the pace, not the sum.
  std::vector<std::thread> threads;
  for (PendingProbe& probe : pending) {
    threads.emplace_back([&probe, &context, &options] { run_probes(probe, context, options); });
  }
  for (std::thread& thread : threads) thread.join();

  for (PendingProbe& probe : pending) {
    ProviderStatus& status = *probe.status;
    const Adapter& adapter = *status.adapter;
    if (probe.version) {
      status.probed_now = true;
      const ProbeRun& run = probe.version_run;
      VersionInfo info;
      if (run.start_failed || run.timed_out) {
        info.problem = fmt::format("`{} --version` {}", adapter.spec().binary_name, run.problem);
      } else {
        // A completed probe is cached, a failed one too (it fails the same way until the
        // binary or its interpreter changes); a start failure or timeout is not.
        info = adapter.parse_version(run.exit_code, run.out, run.err, probe.help);
        cache.store(adapter.id(), *status.binary, info);
      }
      status.health.version = info.version;
      status.health.dialect = info.dialect;
      status.health.available =
          info.ok ? Answer::yes(fmt::format("{} {} ({})", adapter.spec().binary_name, info.version,
                                            status.binary->path.string()))
                  : Answer::no(info.problem + debug_suffix(run, context));
    }
    if (probe.login) {
      status.probed_now = true;
      status.health.probed = true;
      const ProbeRun& run = probe.login_run;
      if (run.start_failed || run.timed_out) {
        status.health.authenticated =
            Answer::unknown(fmt::format("`{}` {}", adapter.spec().binary_name, run.problem));
      } else {
        status.health.authenticated = adapter.interpret_auth_probe(run.exit_code, run.out, run.err);
      }
    }
  }
  cache.save();

  HealthState state = HealthState::load(context.root);
  int64_t now = std::time(nullptr);
  for (ProviderStatus& status : statuses) {
    status.health.rate_limited = state.answer(status.adapter->id(), now);
  }
  return statuses;
}

Json to_json(const ProviderStatus& status) {
  const Adapter& adapter = *status.adapter;
  const AdapterSpec& spec = adapter.spec();
  Json json = Json::object();
  json["id"] = spec.id;
  json["name"] = spec.display_name;
  json["kind"] = std::string(to_string(spec.kind));
  json["aliases"] = spec.aliases;
  json["capabilities"] = spec.capabilities.names();
  json["enabled"] = status.settings.enabled;
  json["prompt_transport"] = std::string(to_string(spec.prompt));
  json["model"] = status.health.model;
  if (!spec.own_sandbox.empty()) json["own_sandbox"] = spec.own_sandbox;
  if (status.binary) json["binary"] = status.binary->path.string();
  if (!status.health.version.empty()) json["version"] = status.health.version;
  if (!status.health.dialect.empty()) json["dialect"] = status.health.dialect;
  json["healthy"] = status.health.healthy() && status.settings.enabled;
  json["health"] = to_json(status.health);
  return json;
}

}  // namespace omk::providers
