// Qwen Code: `qwen -o stream-json --approval-mode MODE`, the prompt on stdin, settings (MCP
// servers, auth type) in the private HOME's ~/.qwen/settings.json.
#include <fmt/format.h>

#include "providers/adapters_builtin.h"
#include "providers/mcp_materialise.h"
#include "providers/settings_file.h"
#include "providers/stream_claude.h"

namespace omk::providers {
namespace {

namespace fs = std::filesystem;

class QwenAdapter final : public Adapter {
 public:
  QwenAdapter() : Adapter(spec()) {}

  static AdapterSpec spec() {
    AdapterSpec s;
    s.id = "qwen";
    s.display_name = "Qwen Code";
    s.aliases = {"qwen-code", "qwen-cli"};
    s.kind = AdapterKind::kCli;
    s.capabilities = {Capability::kRead,  Capability::kReview,      Capability::kWrite,
                      Capability::kPatch, Capability::kShell,       Capability::kMerge,
                      Capability::kMcp,   Capability::kToolCalling, Capability::kStreaming};
    s.prompt = PromptTransport::kStdin;
    s.binary_name = "qwen";
    s.install_hint = "npm install -g @qwen-code/qwen-code";
    s.login_hint = "run `qwen` and /auth, or set OPENAI_API_KEY (with OPENAI_BASE_URL)";
    s.known_models = {"coder-model", "qwen*", "vision-model"};
    s.home_entries = {{".qwen/oauth_creds.json", sandbox::HomeEntry::Kind::kCopy, false}};
    s.skills_dir = ".qwen/skills";
    s.cannot_ask_headless = true;
    s.headless_note =
        "qwen in non-interactive mode cannot ask: tools its approval mode does not allow are "
        "refused";
    return s;
  }

  Answer check_auth(const HealthEnv& env) const override {
    if (auto configured = configured_key_answer(env)) return *configured;
    if (env_value(env.omk_env, "OPENAI_API_KEY")) {
      Answer answer = api_key_answer("OPENAI_API_KEY", env.omk_env);
      if (answer.is_yes()) answer.reason += " (--auth-type openai)";
      return answer;
    }
    if (file_has_content(env.home / ".qwen" / "oauth_creds.json")) {
      return Answer::yes("logged in (~/.qwen/oauth_creds.json)");
    }
    return Answer::no("no ~/.qwen/oauth_creds.json and OPENAI_API_KEY is not set (" +
                      spec_.login_hint + ")");
  }

  CliInvocation build(const CliTurn& turn) const override {
    CliInvocation call;
    call.argv = {turn.binary.string(), "-o", "stream-json", "--approval-mode"};
    // read: default (non-interactive mode refuses what needs approval); write: auto-edit;
    // shell/merge: auto-edit plus the shell tool. Never yolo.
    call.argv.push_back(turn.risk == Risk::kRead ? "default" : "auto-edit");
    if (turn.risk == Risk::kShell || turn.risk == Risk::kMerge) {
      call.argv.push_back("--allowed-tools");
      call.argv.push_back("run_shell_command");
    }
    bool key_mode = !turn.settings.api_key_env.empty() || !turn.settings.base_url.empty();
    std::string auth_type;
    if (key_mode) {
      auth_type = "openai";
      if (!turn.settings.base_url.empty()) call.env["OPENAI_BASE_URL"] = turn.settings.base_url;
      if (!turn.api_key.empty()) call.env["OPENAI_API_KEY"] = turn.api_key;
      if (!turn.model.empty()) call.env["OPENAI_MODEL"] = turn.model;
    } else if (auto user = read_json_file(turn.real_home / ".qwen" / "settings.json")) {
      auth_type = json_path_string(*user, "security.auth.selectedType");
    }
    if (auth_type.empty() && has_credential(turn, "OPENAI_API_KEY")) auth_type = "openai";
    if (!auth_type.empty()) {
      call.argv.push_back("--auth-type");
      call.argv.push_back(auth_type);
    }
    if (!turn.model.empty()) {
      call.argv.push_back("-m");
      call.argv.push_back(turn.model);
    }
    // Only the scoped servers, even when the workspace's own .qwen/settings.json lists more
    // (a name no server has when there are none).
    call.argv.push_back("--allowed-mcp-server-names");
    if (turn.mcp_servers.empty()) call.argv.push_back("omk:no-mcp-servers");
    for (const auto& server : turn.mcp_servers) call.argv.push_back(server.name);

    Json settings = Json::object();
    settings["mcpServers"] = mcp_servers_gemini(turn.mcp_servers);
    if (!auth_type.empty()) settings["security"]["auth"]["selectedType"] = auth_type;
    settings["privacy"]["usageStatisticsEnabled"] = false;
    settings["general"]["disableAutoUpdate"] = true;
    call.home_files.push_back({".qwen/settings.json", settings.dump(2) + "\n"});
    return call;
  }

  std::unique_ptr<OutputParser> parser() const override { return make_claude_stream_parser(); }

  FailureCategory classify(const RunOutcome& outcome) const override {
    std::string text = outcome.stdout_tail + "\n" + outcome.stderr_tail;
    if (text.find("No auth type is selected") != std::string::npos) {
      return FailureCategory::kNotAuthenticated;
    }
    return Adapter::classify(outcome);
  }
};

}  // namespace

std::unique_ptr<Adapter> make_qwen_adapter() {
  return std::make_unique<QwenAdapter>();
}

}  // namespace omk::providers
