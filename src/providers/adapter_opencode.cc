// OpenCode: `opencode run --format json`, the prompt on stdin, its permissions, provider and MCP
// servers in the private HOME's ~/.config/opencode/opencode.json.
#include <fmt/format.h>

#include "providers/adapters_builtin.h"
#include "providers/jsonl.h"
#include "providers/mcp_materialise.h"
#include "providers/settings_file.h"
#include "providers/tool_events.h"

namespace omk::providers {
namespace {

namespace fs = std::filesystem;

// {"type":"text","part":{"text":...}} {"type":"tool_use","part":{"tool":...,"state":{input}}}
// {"type":"step_finish","part":{"tokens":{input,output}}} {"type":"error","error":{...}}
class OpencodeParser final : public OutputParser {
 public:
  void feed(std::string_view chunk, const std::function<void(const TurnEvent&)>& emit) override {
    lines_.feed(chunk, [&](const Json& object) { handle(object, emit); });
  }

  void finish(TurnResult& result) override {
    lines_.finish([&](const Json& object) { handle(object, {}); });
    result.final_message = text_;
    result.usage = usage_;
    result.events = events_;
    if (error_) {
      result.failure = FailureCategory::kError;
      result.notes.push_back("opencode reported an error event");
    }
  }

 private:
  void handle(const Json& object, const std::function<void(const TurnEvent&)>& emit) {
    std::string type = json_string(object, "type");
    const Json& part = object.value("part", Json::object());
    if (type == "text") {
      text_ = json_string(part, "text");
      if (emit && !text_.empty()) emit({TurnEvent::Kind::kText, text_, "", std::nullopt, "", ""});
    } else if (type == "tool_use") {
      const Json& state = part.value("state", Json::object());
      TurnEvent event = tool_event(json_string(part, "tool"), state.value("input", Json::object()));
      if (json_string(state, "status") == "error") {
        // The tool did not run (refused, failed to start): say so next to the call.
        event.exit_code = event.exit_code.value_or(-1);
        TurnEvent error{
            TurnEvent::Kind::kError, json_string(state, "error"), "", std::nullopt, "", event.tool};
        events_.push_back(event);
        events_.push_back(error);
        if (emit) {
          emit(event);
          emit(error);
        }
        return;
      }
      const Json& metadata = state.value("metadata", Json::object());
      if (event.kind == TurnEvent::Kind::kCommand && metadata.contains("exit") &&
          metadata["exit"].is_number_integer()) {
        event.exit_code = metadata["exit"].get<int>();
      }
      events_.push_back(event);
      if (emit) emit(event);
    } else if (type == "step_finish") {
      const Json& tokens = part.value("tokens", Json::object());
      usage_.input += json_int(tokens, "input");
      usage_.output += json_int(tokens, "output");
    } else if (type == "error") {
      error_ = true;
    }
  }

  JsonLines lines_;
  std::vector<TurnEvent> events_;
  std::string text_;
  TokenUsage usage_;
  bool error_ = false;
};

class OpencodeAdapter final : public Adapter {
 public:
  OpencodeAdapter() : Adapter(spec()) {}

  static AdapterSpec spec() {
    AdapterSpec s;
    s.id = "opencode";
    s.display_name = "OpenCode";
    s.aliases = {"opencode-ai", "opencode-cli"};
    s.kind = AdapterKind::kCli;
    s.capabilities = {Capability::kRead,  Capability::kReview,      Capability::kWrite,
                      Capability::kPatch, Capability::kShell,       Capability::kMerge,
                      Capability::kMcp,   Capability::kToolCalling, Capability::kStreaming};
    s.prompt = PromptTransport::kStdin;
    s.binary_name = "opencode";
    s.install_hint = "npm install -g opencode-ai";
    s.login_hint = "run `opencode auth login`";
    s.known_models = {"*/*"};  // provider/model, checked by opencode against its catalog
    s.home_entries = {{".local/share/opencode/auth.json", sandbox::HomeEntry::Kind::kCopy, false}};
    s.skills_dir = ".config/opencode/skills";
    s.cannot_ask_headless = true;
    s.headless_note = "opencode run cannot ask: its permissions are set per run";
    return s;
  }

  Answer check_auth(const HealthEnv& env) const override {
    if (auto configured = configured_key_answer(env)) return *configured;
    auto auth = read_json_file(env.home / ".local/share/opencode/auth.json");
    if (auth && !auth->empty()) {
      return Answer::yes(
          fmt::format("{} credential(s) in ~/.local/share/opencode/auth.json", auth->size()));
    }
    return Answer::no("no credentials in ~/.local/share/opencode/auth.json (" + spec_.login_hint +
                      ")");
  }

  CliInvocation build(const CliTurn& turn) const override {
    CliInvocation call;
    call.argv = {turn.binary.string(), "run", "--format", "json"};
    Json config = Json::object();
    config["$schema"] = "https://opencode.ai/config.json";
    config["autoupdate"] = false;
    config["share"] = "disabled";
    // Permissions by risk; "ask" cannot be answered in `opencode run`, so each is allow/deny.
    bool write = turn.risk != Risk::kRead;
    bool shell = turn.risk == Risk::kShell || turn.risk == Risk::kMerge;
    // Paths outside the workspace are refused by opencode itself, before omk's sandbox.
    config["permission"] = {{"edit", write ? "allow" : "deny"},
                            {"bash", shell ? "allow" : "deny"},
                            {"webfetch", shell ? "allow" : "deny"},
                            {"external_directory", "deny"}};
    config["mcp"] = mcp_servers_opencode(turn.mcp_servers);
    std::string model = turn.model;
    if (!turn.settings.base_url.empty()) {
      // A gateway or local server speaking Chat Completions: opencode's built-in
      // openai-compatible provider, the key by reference ({env:NAME}), never its value.
      std::string name = model.empty() ? "default" : model;
      Json provider = {{"npm", "@ai-sdk/openai-compatible"},
                       {"name", "omk"},
                       {"options", {{"baseURL", turn.settings.base_url}}},
                       {"models", {{name, {{"name", name}, {"tool_call", true}}}}}};
      if (!turn.settings.api_key_env.empty()) {
        provider["options"]["apiKey"] = "{env:" + turn.settings.api_key_env + "}";
      }
      config["provider"]["omk"] = provider;
      model = "omk/" + name;
      config["small_model"] = model;
      call.env["OPENCODE_DISABLE_MODELS_FETCH"] = "1";
    }
    if (!model.empty()) {
      config["model"] = model;
      call.argv.push_back("-m");
      call.argv.push_back(model);
    }
    call.env["OPENCODE_DISABLE_AUTOUPDATE"] = "1";
    call.home_files.push_back({".config/opencode/opencode.json", config.dump(2) + "\n"});
    return call;
  }

  std::unique_ptr<OutputParser> parser() const override {
    return std::make_unique<OpencodeParser>();
  }
};

}  // namespace

std::unique_ptr<Adapter> make_opencode_adapter() {
  return std::make_unique<OpencodeAdapter>();
}

}  // namespace omk::providers
