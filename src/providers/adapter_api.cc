// The read/review/advisory API providers: an OpenAI-compatible Chat Completions endpoint, a key
// in omk's environment, no tools. They never write, run commands or merge.
#include <fmt/format.h>

#include "providers/adapters_builtin.h"

namespace omk::providers {
namespace {

bool loopback_url(const std::string& url) {
  for (const char* prefix : {"http://127.0.0.1", "http://localhost", "http://[::1]"}) {
    if (url.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

class ApiAdapter final : public Adapter {
 public:
  explicit ApiAdapter(AdapterSpec spec) : Adapter(std::move(spec)) {}

  Answer check_auth(const HealthEnv& env) const override {
    std::string variable =
        env.settings.api_key_env.empty() ? spec_.default_api_key_env : env.settings.api_key_env;
    if (variable.empty()) {
      std::string base = env.settings.base_url;
      if (loopback_url(base)) return Answer::yes("a local server: no API key needed");
      return Answer::no(fmt::format(
          "no key variable configured: set [providers.{}] api_key_env to the variable holding "
          "the server's key",
          spec_.id));
    }
    bool own_variable = env.settings.api_key_env.empty();
    return api_key_answer(variable, env.omk_env, own_variable ? spec_.key_prefix : "",
                          own_variable);
  }
};

AdapterSpec api_spec(std::string id, std::string display, std::vector<std::string> aliases) {
  AdapterSpec s;
  s.id = std::move(id);
  s.display_name = std::move(display);
  s.aliases = std::move(aliases);
  s.kind = AdapterKind::kApi;
  s.capabilities = {Capability::kRead, Capability::kReview, Capability::kStreaming};
  s.prompt = PromptTransport::kHttp;
  s.cannot_ask_headless = false;  // nothing to approve: it cannot act
  return s;
}

}  // namespace

std::unique_ptr<Adapter> make_deepseek_adapter() {
  AdapterSpec s = api_spec("deepseek", "DeepSeek API", {"ds", "deepseek-api", "deepseek-v4"});
  s.default_base_url = "https://api.deepseek.com";
  s.default_api_key_env = "DEEPSEEK_API_KEY";
  s.key_prefix = "sk-";
  s.default_model = "deepseek-chat";
  s.known_models = {"deepseek-chat", "deepseek-reasoner", "deepseek-v4-flash", "deepseek-v4-pro"};
  s.login_hint = "export DEEPSEEK_API_KEY=sk-...";
  return std::make_unique<ApiAdapter>(std::move(s));
}

std::unique_ptr<Adapter> make_moonshot_adapter() {
  AdapterSpec s = api_spec("moonshot", "Moonshot (Kimi API)", {"kimi-api", "moonshot-api"});
  s.default_base_url = "https://api.moonshot.ai/v1";
  s.default_api_key_env = "MOONSHOT_API_KEY";
  s.key_prefix = "sk-";
  s.default_model = "kimi-k2-0905-preview";
  s.known_models = {"kimi-*", "moonshot-v1-*"};
  s.login_hint = "export MOONSHOT_API_KEY=sk-... (platform.moonshot.ai)";
  return std::make_unique<ApiAdapter>(std::move(s));
}

std::unique_ptr<Adapter> make_openrouter_adapter() {
  AdapterSpec s = api_spec("openrouter", "OpenRouter", {"openrouter-ai"});
  s.default_base_url = "https://openrouter.ai/api/v1";
  s.default_api_key_env = "OPENROUTER_API_KEY";
  s.key_prefix = "sk-or-";
  s.default_model = "openrouter/auto";
  s.known_models = {"openrouter/auto", "*/*"};
  s.login_hint = "export OPENROUTER_API_KEY=sk-or-...";
  return std::make_unique<ApiAdapter>(std::move(s));
}

std::unique_ptr<Adapter> make_openai_compatible_adapter() {
  AdapterSpec s = api_spec("openai-compatible", "OpenAI-compatible server",
                           {"local", "local-llm", "llama", "ollama", "openai-compat"});
  s.default_model = "";  // the server's: [providers.openai-compatible] model
  s.login_hint = "set [providers.openai-compatible] base_url (and api_key_env for a remote one)";
  return std::make_unique<ApiAdapter>(std::move(s));
}

}  // namespace omk::providers
