#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/json_output.h"
#include "providers/adapter.h"
#include "providers/binary_lookup.h"
#include "providers/context.h"
#include "providers/health.h"
#include "providers/settings.h"

namespace omk::providers {

struct HealthOptions {
  // Also contact the provider: the CLI's own status command (`codex login status`, `claude
  // auth status`), an API's GET /models. Off by default: health is offline.
  bool probe = false;
  std::vector<std::string> only;  // provider ids; empty: all
  std::chrono::milliseconds probe_timeout{20000};
};

// One provider as policy resolution and the routing layer see it.
struct ProviderStatus {
  const Adapter* adapter = nullptr;
  ProviderSettings settings;
  ProviderHealth health;
  std::optional<FoundBinary> binary;
  bool probed_now = false;  // a process was started for it in this call (cold cache)
};

// The four answers for every provider (or `only`). Version probes missing from the cache run in
// parallel, each in a read-only sandbox with a time limit; a warm cache starts no process.
std::vector<ProviderStatus> check_providers(const ProviderContext& context,
                                            const HealthOptions& options = {});

Json to_json(const ProviderStatus& status);

// The model a provider will run: [providers.<id>] model, else its default ("" for a CLI: its
// own default).
std::string selected_model(const Adapter& adapter, const ProviderSettings& settings);
// Whether `model` matches one of the adapter's known models ("gpt-*" patterns allowed).
bool known_model(const Adapter& adapter, const std::string& model);
// The API base URL a provider uses ("" when none is configured).
std::string api_base_url(const Adapter& adapter, const ProviderSettings& settings);

}  // namespace omk::providers
