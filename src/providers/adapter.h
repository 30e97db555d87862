#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/environment.h"
#include "mcp/server_config.h"
#include "providers/capabilities.h"
#include "providers/failure.h"
#include "providers/health.h"
#include "providers/settings.h"
#include "providers/turn.h"
#include "sandbox/isolated_home.h"
#include "sandbox/profile.h"

namespace omk::providers {

enum class AdapterKind { kCli, kApi };
std::string_view to_string(AdapterKind kind);

// How the prompt reaches the provider. Never argv.
enum class PromptTransport {
  kStdin,  // written to the child's stdin, then closed
  kFile,   // a 0600 file in the run's private directory; argv carries only its path
  kHttp,   // the request body (API providers)
};
std::string_view to_string(PromptTransport transport);

// What a provider is, declared once: the registry, health checks, policy resolution, the
// runner and docs/providers.md's table all read it.
struct AdapterSpec {
  std::string id;
  std::string display_name;
  std::vector<std::string> aliases;
  AdapterKind kind = AdapterKind::kCli;
  CapabilitySet capabilities;
  PromptTransport prompt = PromptTransport::kStdin;
  std::string binary_name;    // CLIs: looked up on PATH unless [providers.<id>] binary is set
  std::string install_hint;   // "npm install -g @openai/codex"
  std::string login_hint;     // "codex login"
  std::string default_model;  // "": the CLI's own default
  std::vector<std::string> known_models;  // accepted without --probe
  // Non-empty: the CLI runs its own OS sandbox (see docs/providers.md, "Sandboxes").
  std::string own_sandbox;
  // What its login needs from the real HOME, copied into the run's private HOME.
  std::vector<sandbox::HomeEntry> home_entries;
  // Where the CLI discovers user-level skills, relative to HOME (".claude/skills"); the run's
  // scoped skills are copied there in the private HOME. "": the CLI gets no skills.
  std::string skills_dir;
  // Whether omk must ask before a write-capable run under --execution ask, because the CLI
  // cannot ask in headless mode (or always approves there).
  bool cannot_ask_headless = true;
  std::string headless_note;  // why, for the approval question
  // API providers.
  std::string default_base_url;
  std::string default_api_key_env;
  std::string key_prefix;  // a well-formed key starts with this ("sk-")
};

// omk's view of the world for health checks: its own environment (where credentials live) and
// the real HOME.
struct HealthEnv {
  EnvMap omk_env;
  std::filesystem::path home;
  ProviderSettings settings;
};

// What `--version` (and for Kimi `--help`) told us about a binary.
struct VersionInfo {
  bool ok = false;
  std::string version;
  std::string dialect;  // kimi: "kimi-code" | "kimi-cli"
  std::string problem;  // when !ok: omk's own words (never the CLI's output)
};

// One turn as the adapter sees it, with everything resolved.
struct CliTurn {
  Risk risk = Risk::kRead;
  CapabilitySet needs;
  Execution execution = Execution::kAsk;
  sandbox::Profile profile = sandbox::Profile::kReadOnly;
  // Whether omk's OS sandbox is enforced around the CLI (else the CLI's own, if it has one).
  bool omk_sandbox = true;
  std::filesystem::path binary;
  std::filesystem::path workspace;
  std::filesystem::path home;       // the run's private HOME (config files go here)
  std::filesystem::path real_home;  // the user's HOME: read for a setting, never given
  std::filesystem::path run_dir;    // per-run files (MCP config)
  std::optional<std::filesystem::path> prompt_file;  // kFile transport
  std::string model;                                 // "": the CLI's default
  std::string dialect;
  ProviderSettings settings;
  // The value of [providers.<id>] api_key_env, for CLIs that read their key under another
  // name (ANTHROPIC_API_KEY, GEMINI_API_KEY); it goes into the child's environment, never to
  // disk or argv. The variable itself also reaches the child under its own name.
  std::string api_key;
  // The adapter's declared credential variables (safety::AdapterEnvDeclaration) that are set in
  // omk's environment and so reach the child ("GEMINI_API_KEY").
  std::vector<std::string> credentials_present;
  std::vector<mcp::ServerConfig> mcp_servers;  // the run's scoped servers, unresolved
  // Where the run's scoped skills were copied (HOME/<spec.skills_dir>), when there are any.
  std::optional<std::filesystem::path> skills_dir;
};

// What omk runs for that turn.
struct CliInvocation {
  std::vector<std::string> argv;  // argv[0] = the binary
  EnvMap env;                     // explicit variables for the child (they pass the env policy)
  // Files written before the start: relative to the private HOME, or absolute (run dir).
  std::vector<std::pair<std::filesystem::path, std::string>> home_files;
  std::vector<std::pair<std::filesystem::path, std::string>> files;
  std::vector<std::string> notes;
  // Where the prompt goes: stdin, or (for kFile adapters) nowhere but the prompt file. An
  // adapter whose spec says kFile may still choose stdin for a dialect that has it.
  bool prompt_on_stdin = true;
};

// Turns a CLI's stdout (its JSONL events) into TurnEvents and the common result, chunk by chunk.
class OutputParser {
 public:
  virtual ~OutputParser() = default;
  virtual void feed(std::string_view chunk, const std::function<void(const TurnEvent&)>& emit) = 0;
  // After the child exited: completes `result` (final message, usage, files, failure hints).
  virtual void finish(TurnResult& result) = 0;
};

// What happened to the child, for failure classification.
struct RunOutcome {
  int exit_code = 0;
  bool timed_out = false;
  bool cancelled = false;
  bool signalled = false;
  bool start_failed = false;
  std::string stdout_tail;
  std::string stderr_tail;
  const TurnResult* parsed = nullptr;
};

class Adapter {
 public:
  explicit Adapter(AdapterSpec spec) : spec_(std::move(spec)) {}
  virtual ~Adapter() = default;
  const AdapterSpec& spec() const { return spec_; }
  const std::string& id() const { return spec_.id; }
  bool is_api() const { return spec_.kind == AdapterKind::kApi; }

  // Offline authentication check: credential files in the real HOME, the configured key
  // variable. Never runs the CLI; a binary on PATH is never enough.
  virtual Answer check_auth(const HealthEnv& env) const = 0;

  // CLI probes.
  virtual std::vector<std::string> version_args() const { return {"--version"}; }
  virtual bool wants_help_probe() const { return false; }
  virtual VersionInfo parse_version(int exit_code, const std::string& out, const std::string& err,
                                    const std::string& help) const;
  // The CLI's own status command, run only with --probe (no tokens spent).
  virtual std::vector<std::string> auth_probe_args() const { return {}; }
  virtual Answer interpret_auth_probe(int exit_code, const std::string& out,
                                      const std::string& err) const;

  // CLI turns.
  virtual CliInvocation build(const CliTurn& turn) const;
  virtual std::unique_ptr<OutputParser> parser() const;
  virtual FailureCategory classify(const RunOutcome& outcome) const;

 protected:
  AdapterSpec spec_;
};

// The checks most adapters share.
// `check_vendor`: also refuse a key that the secret rules say belongs to a vendor the variable's
// name does not mention (an Anthropic key in DEEPSEEK_API_KEY). Only for the providers' own
// variable names; a user's variable may be called anything.
Answer api_key_answer(const std::string& variable, const EnvMap& omk_env,
                      const std::string& key_prefix = "", bool check_vendor = false);
// A key from [providers.<id>] api_key_env, when configured: yes/no on that alone.
std::optional<Answer> configured_key_answer(const HealthEnv& env);
bool file_has_content(const std::filesystem::path& path);
bool has_credential(const CliTurn& turn, const std::string& name);

}  // namespace omk::providers
