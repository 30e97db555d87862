#include "providers/context.h"

#include "core/error.h"
#include "providers/adapter.h"
#include "providers/probe_cache.h"

namespace omk::providers {
namespace fs = std::filesystem;
namespace {

fs::path expand_root(const std::string& text, const fs::path& project, const EnvMap& env) {
  if (text == "~" || text.rfind("~/", 0) == 0) {
    auto home = env_value(env, "HOME");
    if (!home || home->empty()) throw usage_error("cannot expand " + text + ": HOME is not set");
    return fs::path(*home) / text.substr(text.size() > 1 ? 2 : 1);
  }
  fs::path path(text);
  return path.is_absolute() ? path : project / path;
}

}  // namespace

ProviderContext ProviderContext::make(const fs::path& root, Config config, EnvMap omk_env) {
  ProviderContext context{root, std::move(config), std::move(omk_env), {}, {}};
  context.home = env_value(context.omk_env, "HOME").value_or("");
  context.probe_cache = ProbeCache::default_path(context.omk_env);
  return context;
}

safety::AdapterEnvDeclaration env_declaration(const Adapter& adapter,
                                              const std::string& api_key_env,
                                              const std::vector<std::string>& extra_credentials) {
  safety::AdapterEnvDeclaration declaration;
  if (const auto* known = safety::find_adapter_env(adapter.id())) declaration = *known;
  declaration.name = adapter.id();
  if (!api_key_env.empty()) declaration.credentials.push_back(api_key_env);
  for (const std::string& name : extra_credentials) declaration.credentials.push_back(name);
  return declaration;
}

sandbox::SandboxRequest base_sandbox_request(const ProviderContext& context, const Adapter& adapter,
                                             sandbox::Profile profile, const fs::path& workspace) {
  sandbox::SandboxRequest request;
  request.profile = profile;
  request.workspace = workspace;
  if (profile == sandbox::Profile::kWorkspaceWrite) {
    for (const auto& text : context.config.strings("sandbox.writable_roots")) {
      request.writable_roots.push_back(expand_root(text, context.root, context.omk_env));
    }
  }
  for (const auto& text : context.config.strings("sandbox.readable_roots")) {
    request.readable_roots.push_back(expand_root(text, context.root, context.omk_env));
  }
  request.require = context.config.boolean("sandbox.require");
  request.original_home = context.home;
  request.bridge_shell_profiles =
      env_flag(context.omk_env, "OMK_ISOLATED_HOME_BRIDGE_SHELL_PROFILES");
  request.scratch_base = env_value(context.omk_env, "TMPDIR").value_or("");
  request.home_entries = adapter.spec().home_entries;
  return request;
}

}  // namespace omk::providers
