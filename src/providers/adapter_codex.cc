// Codex CLI: `codex exec --json --skip-git-repo-check -C DIR --sandbox MODE -`, the prompt on
// stdin. Never `-a` (exec rejects it and never asks anyway) and never --yolo.
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "providers/adapters_builtin.h"
#include "providers/jsonl.h"
#include "providers/mcp_materialise.h"
#include "providers/tool_events.h"

namespace omk::providers {
namespace {

namespace fs = std::filesystem;

class CodexParser final : public OutputParser {
 public:
  void feed(std::string_view chunk, const std::function<void(const TurnEvent&)>& emit) override {
    lines_.feed(chunk, [&](const Json& object) { handle(object, emit); });
  }

  void finish(TurnResult& result) override {
    lines_.finish([&](const Json& object) { handle(object, {}); });
    result.final_message = last_text_;
    result.usage = usage_;
    result.events = events_;
    if (failed_) {
      result.failure = FailureCategory::kError;
      result.notes.push_back("codex reported turn.failed");
    } else if (!completed_) {
      result.notes.push_back("codex ended without turn.completed");
    }
  }

 private:
  void handle(const Json& object, const std::function<void(const TurnEvent&)>& emit) {
    std::string type = json_string(object, "type");
    if (type == "item.completed" && object.contains("item")) {
      const Json& item = object["item"];
      std::string kind = json_string(item, "type");
      if (kind == "agent_message") {
        last_text_ = json_string(item, "text");
        if (emit && !last_text_.empty()) {
          emit({TurnEvent::Kind::kText, last_text_, "", std::nullopt, "", ""});
        }
      } else if (kind == "command_execution") {
        TurnEvent event;
        event.kind = TurnEvent::Kind::kCommand;
        event.tool = "exec_command";
        event.command = json_string(item, "command");
        if (item.contains("exit_code") && item["exit_code"].is_number_integer()) {
          event.exit_code = item["exit_code"].get<int>();
        }
        push(event, emit);
      } else if (kind == "file_change") {
        for (const Json& change : item.value("changes", Json::array())) {
          TurnEvent event;
          event.kind = TurnEvent::Kind::kFileChange;
          event.tool = "apply_patch";
          event.path = json_string(change, "path");
          push(event, emit);
        }
      } else if (kind == "mcp_tool_call") {
        TurnEvent event;
        event.kind = TurnEvent::Kind::kTool;
        event.tool = json_string(item, "server") + "." + json_string(item, "tool");
        push(event, emit);
      }
    } else if (type == "turn.completed") {
      completed_ = true;
      const Json& usage = object.value("usage", Json::object());
      usage_.input += json_int(usage, "input_tokens");
      usage_.output += json_int(usage, "output_tokens");
    } else if (type == "turn.failed") {
      failed_ = true;
    }
  }

  void push(const TurnEvent& event, const std::function<void(const TurnEvent&)>& emit) {
    events_.push_back(event);
    if (emit) emit(event);
  }

  JsonLines lines_;
  std::vector<TurnEvent> events_;
  std::string last_text_;
  TokenUsage usage_;
  bool completed_ = false;
  bool failed_ = false;
};

class CodexAdapter final : public Adapter {
 public:
  CodexAdapter() : Adapter(spec()) {}

  static AdapterSpec spec() {
    AdapterSpec s;
    s.id = "codex";
    s.display_name = "Codex CLI";
    s.aliases = {"codex-cli", "openai-codex"};
    s.kind = AdapterKind::kCli;
    s.capabilities = {Capability::kRead,  Capability::kReview,      Capability::kWrite,
                      Capability::kPatch, Capability::kShell,       Capability::kMerge,
                      Capability::kMcp,   Capability::kToolCalling, Capability::kStreaming};
    s.prompt = PromptTransport::kStdin;
    s.binary_name = "codex";
    s.install_hint = "npm install -g @openai/codex";
    s.login_hint = "run `codex login`";
    s.known_models = {"gpt-*", "o3*", "o4*", "codex-*"};
    s.own_sandbox = "codex";
    // Token refreshes write auth.json: the child gets a private copy, never the original.
    s.home_entries = {{".codex/auth.json", sandbox::HomeEntry::Kind::kCopy, false}};
    s.skills_dir = ".codex/skills";
    s.cannot_ask_headless = true;
    s.headless_note = "codex exec never asks before running a command or editing a file";
    return s;
  }

  Answer check_auth(const HealthEnv& env) const override {
    if (auto configured = configured_key_answer(env)) return *configured;
    fs::path auth = env.home / ".codex" / "auth.json";
    std::ifstream in(auth);
    if (!in) return Answer::no("not logged in: no ~/.codex/auth.json (" + spec_.login_hint + ")");
    std::stringstream text;
    text << in.rdbuf();
    Json document = Json::parse(text.str(), nullptr, false);
    if (!document.is_object()) {
      return Answer::no("~/.codex/auth.json is not valid JSON (" + spec_.login_hint + ")");
    }
    bool key = document.contains("OPENAI_API_KEY") && document["OPENAI_API_KEY"].is_string() &&
               !document["OPENAI_API_KEY"].get<std::string>().empty();
    bool tokens = document.contains("tokens") && document["tokens"].is_object() &&
                  !document["tokens"].empty();
    if (key) return Answer::yes("logged in with an API key (~/.codex/auth.json)");
    if (tokens) return Answer::yes("logged in with ChatGPT (~/.codex/auth.json)");
    return Answer::no("~/.codex/auth.json holds no credential (" + spec_.login_hint + ")");
  }

  std::vector<std::string> auth_probe_args() const override { return {"login", "status"}; }

  CliInvocation build(const CliTurn& turn) const override {
    CliInvocation call;
    call.argv = {turn.binary.string(),    "exec", "--json",
                 "--skip-git-repo-check", "-C",   turn.workspace.string()};
    // Codex's bubblewrap cannot start inside omk's Landlock domain (a Landlock-restricted
    // process may not mount), so exactly one sandbox runs: omk's when the kernel provides it
    // (it also hides the real HOME from reads), else Codex's own.
    call.argv.push_back("--sandbox");
    if (turn.omk_sandbox) {
      call.argv.push_back("danger-full-access");
      call.notes.push_back("codex's own sandbox is off: omk's sandbox encloses it");
    } else {
      call.argv.push_back(turn.profile == sandbox::Profile::kReadOnly     ? "read-only"
                          : turn.profile == sandbox::Profile::kFullAccess ? "danger-full-access"
                                                                          : "workspace-write");
      call.notes.push_back("omk's OS sandbox is unavailable here: codex's own sandbox enforces");
    }
    // No analytics (and no 5 s exit delay offline); tool commands lose variables named like
    // keys, secrets and tokens even if one reached codex.
    for (const char* override : {"analytics.enabled=false", "shell_environment_policy.inherit=all",
                                 "shell_environment_policy.ignore_default_excludes=false"}) {
      call.argv.push_back("-c");
      call.argv.push_back(override);
    }
    if (!turn.model.empty()) {
      call.argv.push_back("-m");
      call.argv.push_back(turn.model);
    }
    if (!turn.settings.base_url.empty()) {
      std::string provider = "{name=\"omk\",base_url=" + toml_string(turn.settings.base_url) +
                             ",wire_api=\"responses\"";
      if (!turn.settings.api_key_env.empty()) {
        provider += ",env_key=" + toml_string(turn.settings.api_key_env);
      }
      provider += "}";
      for (const std::string& override :
           {std::string("model_provider=\"omk\""), "model_providers.omk=" + provider}) {
        call.argv.push_back("-c");
        call.argv.push_back(override);
      }
    }
    for (std::string& arg : mcp_servers_codex(turn.mcp_servers, call.notes)) {
      call.argv.push_back(std::move(arg));
    }
    call.argv.push_back("-");
    return call;
  }

  std::unique_ptr<OutputParser> parser() const override { return std::make_unique<CodexParser>(); }

  FailureCategory classify(const RunOutcome& outcome) const override {
    std::string text = outcome.stdout_tail + "\n" + outcome.stderr_tail;
    if (text.find("Not logged in") != std::string::npos ||
        text.find("Missing environment variable") != std::string::npos) {
      return FailureCategory::kNotAuthenticated;
    }
    return Adapter::classify(outcome);
  }
};

}  // namespace

std::unique_ptr<Adapter> make_codex_adapter() {
  return std::make_unique<CodexAdapter>();
}

}  // namespace omk::providers
