// Claude Code: `claude -p --output-format stream-json --verbose --permission-mode MODE`, the
// prompt on stdin, MCP servers through --mcp-config FILE --strict-mcp-config.
#include <fmt/format.h>

#include <fstream>

#include "providers/adapters_builtin.h"
#include "providers/jsonl.h"
#include "providers/mcp_materialise.h"
#include "providers/stream_claude.h"

namespace omk::providers {
namespace {

namespace fs = std::filesystem;

class ClaudeAdapter final : public Adapter {
 public:
  ClaudeAdapter() : Adapter(spec()) {}

  static AdapterSpec spec() {
    AdapterSpec s;
    s.id = "claude";
    s.display_name = "Claude Code";
    s.aliases = {"claude-code", "anthropic"};
    s.kind = AdapterKind::kCli;
    s.capabilities = {Capability::kRead,  Capability::kReview,      Capability::kWrite,
                      Capability::kPatch, Capability::kShell,       Capability::kMerge,
                      Capability::kMcp,   Capability::kToolCalling, Capability::kStreaming};
    s.prompt = PromptTransport::kStdin;
    s.binary_name = "claude";
    s.install_hint = "npm install -g @anthropic-ai/claude-code";
    s.login_hint = "run `claude` and /login, or set ANTHROPIC_API_KEY";
    s.known_models = {"default", "opus", "sonnet", "haiku", "opusplan", "claude-*"};
    s.home_entries = {{".claude/.credentials.json", sandbox::HomeEntry::Kind::kCopy, false}};
    s.skills_dir = ".claude/skills";
    s.cannot_ask_headless = true;
    s.headless_note =
        "claude -p cannot ask for permission: tools its permission mode does not allow are "
        "denied";
    return s;
  }

  Answer check_auth(const HealthEnv& env) const override {
    if (auto configured = configured_key_answer(env)) return *configured;
    if (env_value(env.omk_env, "ANTHROPIC_API_KEY")) {
      return api_key_answer("ANTHROPIC_API_KEY", env.omk_env, "", true);
    }
    fs::path credentials = env.home / ".claude" / ".credentials.json";
    if (file_has_content(credentials)) {
      return Answer::yes("logged in (~/.claude/.credentials.json)");
    }
    return Answer::no("no ~/.claude/.credentials.json and ANTHROPIC_API_KEY is not set (" +
                      spec_.login_hint + ")");
  }

  std::vector<std::string> auth_probe_args() const override { return {"auth", "status"}; }

  Answer interpret_auth_probe(int exit_code, const std::string& out,
                              const std::string& /*err*/) const override {
    Json status = Json::parse(out, nullptr, false);
    bool logged_in = status.is_object() && status.value("loggedIn", false);
    if (exit_code == 0 && logged_in) {
      return Answer::yes("`claude auth status`: logged in (" + json_string(status, "authMethod") +
                         ")");
    }
    return Answer::no("`claude auth status`: not logged in (" + spec_.login_hint + ")");
  }

  CliInvocation build(const CliTurn& turn) const override {
    CliInvocation call;
    call.argv = {turn.binary.string(), "-p", "--output-format", "stream-json", "--verbose"};
    // Permission modes by risk: read keeps `default` (in -p every tool that needs permission is
    // denied), write accepts edits, shell and merge also allow Bash. Never
    // bypassPermissions / --dangerously-skip-permissions.
    call.argv.push_back("--permission-mode");
    call.argv.push_back(turn.risk == Risk::kRead ? "default" : "acceptEdits");
    if (turn.risk == Risk::kShell || turn.risk == Risk::kMerge) {
      call.argv.push_back("--allowedTools");
      call.argv.push_back("Bash");
    }
    if (!turn.model.empty()) {
      call.argv.push_back("--model");
      call.argv.push_back(turn.model);
    }
    // Always strict: the run gets exactly its scoped servers, none from ~/.claude.json or
    // .mcp.json.
    fs::path config = turn.run_dir / "claude-mcp.json";
    call.files.push_back({config, mcp_servers_common(turn.mcp_servers).dump(2) + "\n"});
    call.argv.push_back("--mcp-config");
    call.argv.push_back(config.string());
    call.argv.push_back("--strict-mcp-config");

    call.env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
    call.env["DISABLE_AUTOUPDATER"] = "1";
    if (!turn.settings.base_url.empty()) call.env["ANTHROPIC_BASE_URL"] = turn.settings.base_url;
    if (!turn.api_key.empty()) call.env["ANTHROPIC_API_KEY"] = turn.api_key;
    return call;
  }

  std::unique_ptr<OutputParser> parser() const override { return make_claude_stream_parser(); }

  FailureCategory classify(const RunOutcome& outcome) const override {
    std::string text = outcome.stdout_tail + "\n" + outcome.stderr_tail;
    if (text.find("Not logged in") != std::string::npos ||
        text.find("Invalid API key") != std::string::npos) {
      return FailureCategory::kNotAuthenticated;
    }
    return Adapter::classify(outcome);
  }
};

}  // namespace

std::unique_ptr<Adapter> make_claude_adapter() {
  return std::make_unique<ClaudeAdapter>();
}

}  // namespace omk::providers
