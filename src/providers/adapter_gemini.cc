// Gemini CLI: `gemini -o stream-json --approval-mode MODE`, the prompt on stdin, settings (MCP
// servers, auth type) in the private HOME's ~/.gemini/settings.json.
#include <fmt/format.h>

#include "providers/adapters_builtin.h"
#include "providers/jsonl.h"
#include "providers/mcp_materialise.h"
#include "providers/settings_file.h"
#include "providers/tool_events.h"

namespace omk::providers {
namespace {

namespace fs = std::filesystem;

// {"type":"init"} {"type":"message","role":"assistant","content":...,"delta":true}
// {"type":"tool_use","tool_name":...,"parameters":{...}} {"type":"tool_result",...}
// {"type":"result","status":"success"|"error","stats":{input_tokens,output_tokens}}
class GeminiParser final : public OutputParser {
 public:
  void feed(std::string_view chunk, const std::function<void(const TurnEvent&)>& emit) override {
    lines_.feed(chunk, [&](const Json& object) { handle(object, emit); });
  }

  void finish(TurnResult& result) override {
    lines_.finish([&](const Json& object) { handle(object, {}); });
    result.final_message = text_;
    result.usage = usage_;
    result.events = events_;
    if (saw_result_ && status_ != "success") {
      result.failure = FailureCategory::kError;
      result.notes.push_back("gemini reported result status " + status_);
    }
    if (!saw_result_) result.notes.push_back("gemini ended without its result event");
  }

 private:
  void handle(const Json& object, const std::function<void(const TurnEvent&)>& emit) {
    std::string type = json_string(object, "type");
    if (type == "message" && json_string(object, "role") == "assistant") {
      std::string content = json_string(object, "content");
      if (object.value("delta", false)) {
        // Deltas of one reply follow each other; a tool call in between starts a new reply.
        if (!in_reply_) text_.clear();
        text_ += content;
      } else {
        text_ = content;
      }
      in_reply_ = true;
      if (emit && !content.empty())
        emit({TurnEvent::Kind::kText, content, "", std::nullopt, "", ""});
    } else if (type == "tool_use") {
      in_reply_ = false;
      TurnEvent event =
          tool_event(json_string(object, "tool_name"), object.value("parameters", Json::object()));
      events_.push_back(event);
      if (emit) emit(event);
    } else if (type == "result") {
      saw_result_ = true;
      status_ = json_string(object, "status");
      const Json& stats = object.value("stats", Json::object());
      usage_.input = json_int(stats, "input_tokens");
      usage_.output = json_int(stats, "output_tokens");
    }
  }

  JsonLines lines_;
  std::vector<TurnEvent> events_;
  std::string text_;
  bool in_reply_ = false;
  bool saw_result_ = false;
  std::string status_;
  TokenUsage usage_;
};

class GeminiAdapter final : public Adapter {
 public:
  GeminiAdapter() : Adapter(spec()) {}

  static AdapterSpec spec() {
    AdapterSpec s;
    s.id = "gemini";
    s.display_name = "Gemini CLI";
    s.aliases = {"gemini-cli", "google"};
    s.kind = AdapterKind::kCli;
    s.capabilities = {Capability::kRead,  Capability::kReview,      Capability::kWrite,
                      Capability::kPatch, Capability::kShell,       Capability::kMerge,
                      Capability::kMcp,   Capability::kToolCalling, Capability::kStreaming};
    s.prompt = PromptTransport::kStdin;
    s.binary_name = "gemini";
    s.install_hint = "npm install -g @google/gemini-cli";
    s.login_hint = "run `gemini` and choose a login, or set GEMINI_API_KEY";
    s.known_models = {"auto", "gemini-*"};
    s.home_entries = {{".gemini/oauth_creds.json", sandbox::HomeEntry::Kind::kCopy, false},
                      {".gemini/google_accounts.json", sandbox::HomeEntry::Kind::kCopy, false}};
    s.skills_dir = ".gemini/skills";
    s.cannot_ask_headless = true;
    s.headless_note =
        "gemini in non-interactive mode cannot ask: tools its approval mode does not allow are "
        "refused";
    return s;
  }

  Answer check_auth(const HealthEnv& env) const override {
    if (auto configured = configured_key_answer(env)) return *configured;
    if (env_value(env.omk_env, "GEMINI_API_KEY")) {
      return api_key_answer("GEMINI_API_KEY", env.omk_env);
    }
    if (file_has_content(env.home / ".gemini" / "oauth_creds.json")) {
      return Answer::yes("logged in with Google (~/.gemini/oauth_creds.json)");
    }
    return Answer::no("no ~/.gemini/oauth_creds.json and GEMINI_API_KEY is not set (" +
                      spec_.login_hint + ")");
  }

  CliInvocation build(const CliTurn& turn) const override {
    CliInvocation call;
    call.argv = {turn.binary.string(), "-o", "stream-json", "--approval-mode"};
    // read: default (non-interactive mode refuses what needs approval); write: auto_edit;
    // shell/merge: auto_edit plus the shell tool. Never yolo.
    call.argv.push_back(turn.risk == Risk::kRead ? "default" : "auto_edit");
    if (turn.risk == Risk::kShell || turn.risk == Risk::kMerge) {
      call.argv.push_back("--allowed-tools");
      call.argv.push_back("run_shell_command");
    }
    if (!turn.model.empty()) {
      call.argv.push_back("-m");
      call.argv.push_back(turn.model);
    }
    call.argv.push_back("--allowed-mcp-server-names");
    if (turn.mcp_servers.empty()) call.argv.push_back("omk:no-mcp-servers");
    for (const auto& server : turn.mcp_servers) call.argv.push_back(server.name);

    std::string auth_type;
    bool api_key = has_credential(turn, "GEMINI_API_KEY");
    if (!turn.api_key.empty()) {
      call.env["GEMINI_API_KEY"] = turn.api_key;
      api_key = true;
    }
    if (!turn.settings.base_url.empty())
      call.env["GOOGLE_GEMINI_BASE_URL"] = turn.settings.base_url;
    if (api_key || !turn.settings.base_url.empty()) {
      auth_type = "gemini-api-key";
    } else if (auto user = read_json_file(turn.real_home / ".gemini" / "settings.json")) {
      auth_type = json_path_string(*user, "security.auth.selectedType");
    }
    // The workspace is the one the user pointed omk at; without trust gemini silently drops
    // the approval mode to default.
    call.env["GEMINI_CLI_TRUST_WORKSPACE"] = "true";

    Json settings = Json::object();
    settings["mcpServers"] = mcp_servers_gemini(turn.mcp_servers);
    if (!auth_type.empty()) settings["security"]["auth"]["selectedType"] = auth_type;
    settings["privacy"]["usageStatisticsEnabled"] = false;
    settings["general"]["disableAutoUpdate"] = true;
    call.home_files.push_back({".gemini/settings.json", settings.dump(2) + "\n"});
    return call;
  }

  std::unique_ptr<OutputParser> parser() const override { return std::make_unique<GeminiParser>(); }

  FailureCategory classify(const RunOutcome& outcome) const override {
    // Gemini CLI exits 41 for a missing or invalid auth method.
    if (outcome.exit_code == 41) return FailureCategory::kNotAuthenticated;
    return Adapter::classify(outcome);
  }
};

}  // namespace

std::unique_ptr<Adapter> make_gemini_adapter() {
  return std::make_unique<GeminiAdapter>();
}

}  // namespace omk::providers
