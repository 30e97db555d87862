// Kimi, both products named `kimi` (told apart by `kimi --help`):
//  - Kimi Code (npm @moonshot-ai/kimi-code): `kimi -p TEXT --output-format stream-json`. It has
//    no stdin mode, so the prompt goes to a 0600 file and -p carries only a pointer to it.
//    -p always auto-approves (its "auto" permission mode).
//  - legacy kimi-cli (Python): `kimi --print --input-format text --output-format stream-json`,
//    the prompt on stdin; --print auto-approves; exit 75 means "retry later".
#include <fmt/format.h>
#include <toml++/toml.h>

#include "providers/adapters_builtin.h"
#include "providers/jsonl.h"
#include "providers/mcp_materialise.h"
#include "providers/tool_events.h"

namespace omk::providers {
namespace {

namespace fs = std::filesystem;

constexpr const char* kKimiCode = "kimi-code";
constexpr const char* kKimiCli = "kimi-cli";

// {"role":"assistant","content":"..."|[{"type":"text","text":...}],"tool_calls":[...]}
// {"role":"tool",...} {"role":"meta",...}
class KimiParser final : public OutputParser {
 public:
  void feed(std::string_view chunk, const std::function<void(const TurnEvent&)>& emit) override {
    lines_.feed(chunk, [&](const Json& object) { handle(object, emit); });
  }

  void finish(TurnResult& result) override {
    lines_.finish([&](const Json& object) { handle(object, {}); });
    result.final_message = text_;
    result.events = events_;
  }

 private:
  void handle(const Json& object, const std::function<void(const TurnEvent&)>& emit) {
    if (json_string(object, "role") != "assistant") return;
    std::string text;
    if (object.contains("content")) {
      const Json& content = object["content"];
      if (content.is_string()) {
        text = content.get<std::string>();
      } else if (content.is_array()) {
        for (const Json& part : content) {
          if (json_string(part, "type") == "text") text += json_string(part, "text");
        }
      }
    }
    if (!text.empty()) {
      text_ = text;
      if (emit) emit({TurnEvent::Kind::kText, text, "", std::nullopt, "", ""});
    }
    for (const Json& call : object.value("tool_calls", Json::array())) {
      const Json& function = call.value("function", Json::object());
      Json arguments = Json::parse(json_string(function, "arguments"), nullptr, false);
      TurnEvent event = tool_event(json_string(function, "name"),
                                   arguments.is_discarded() ? Json::object() : arguments);
      events_.push_back(event);
      if (emit) emit(event);
    }
  }

  JsonLines lines_;
  std::vector<TurnEvent> events_;
  std::string text_;
};

// Whether a Kimi config.toml names a provider with an API key.
bool config_has_api_key(const fs::path& path) {
  try {
    toml::table table = toml::parse_file(path.string());
    const toml::table* providers = table["providers"].as_table();
    if (!providers) return false;
    for (const auto& [name, node] : *providers) {
      const toml::table* provider = node.as_table();
      if (!provider) continue;
      auto key = (*provider)["api_key"].value<std::string>();
      if (key && !key->empty()) return true;
    }
  } catch (const toml::parse_error&) {
  }
  return false;
}

bool directory_has_files(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec) && file_has_content(entry.path())) return true;
  }
  return false;
}

class KimiAdapter final : public Adapter {
 public:
  KimiAdapter() : Adapter(spec()) {}

  static AdapterSpec spec() {
    AdapterSpec s;
    s.id = "kimi";
    s.display_name = "Kimi Code / Kimi CLI";
    s.aliases = {"kimi-code", "kimi-cli"};
    s.kind = AdapterKind::kCli;
    s.capabilities = {Capability::kRead,  Capability::kReview,      Capability::kWrite,
                      Capability::kPatch, Capability::kShell,       Capability::kMerge,
                      Capability::kMcp,   Capability::kToolCalling, Capability::kStreaming};
    s.prompt = PromptTransport::kFile;  // legacy kimi-cli: stdin
    s.binary_name = "kimi";
    s.install_hint = "npm install -g @moonshot-ai/kimi-code (Node.js 22.19 or later)";
    s.login_hint = "run `kimi login`, or set KIMI_MODEL_NAME and KIMI_MODEL_API_KEY";
    s.known_models = {"kimi-*", "moonshot-*"};
    s.home_entries = {
        {".kimi-code/config.toml", sandbox::HomeEntry::Kind::kCopy, false},
        {".kimi-code/credentials", sandbox::HomeEntry::Kind::kCopy, false},
        {".kimi/config.toml", sandbox::HomeEntry::Kind::kCopy, false},
        {".kimi/credentials", sandbox::HomeEntry::Kind::kCopy, false},
    };
    s.skills_dir = ".kimi-code/skills";
    s.cannot_ask_headless = true;
    s.headless_note = "kimi -p (and legacy --print) approve every tool call by themselves";
    return s;
  }

  bool wants_help_probe() const override { return true; }

  VersionInfo parse_version(int exit_code, const std::string& out, const std::string& err,
                            const std::string& help) const override {
    VersionInfo info = Adapter::parse_version(exit_code, out, err, help);
    if (!info.ok) return info;
    bool legacy = help.find("--input-format") != std::string::npos ||
                  help.find("--print") != std::string::npos;
    bool code = help.find("--output-format") != std::string::npos &&
                help.find("--prompt") != std::string::npos;
    if (legacy) {
      info.dialect = kKimiCli;
    } else if (code) {
      info.dialect = kKimiCode;
    } else {
      info.ok = false;
      info.problem = "`kimi --help` matches neither Kimi Code nor the legacy Kimi CLI";
    }
    return info;
  }

  Answer check_auth(const HealthEnv& env) const override {
    if (auto configured = configured_key_answer(env)) return *configured;
    if (env_value(env.omk_env, "KIMI_MODEL_API_KEY") && env_value(env.omk_env, "KIMI_MODEL_NAME")) {
      return api_key_answer("KIMI_MODEL_API_KEY", env.omk_env);
    }
    if (env_value(env.omk_env, "KIMI_API_KEY")) {
      Answer answer = api_key_answer("KIMI_API_KEY", env.omk_env);
      if (answer.is_yes()) answer.reason += " (legacy kimi-cli)";
      return answer;
    }
    for (const char* dir : {".kimi-code", ".kimi"}) {
      if (directory_has_files(env.home / dir / "credentials")) {
        return Answer::yes(fmt::format("logged in (~/{}/credentials)", dir));
      }
      if (config_has_api_key(env.home / dir / "config.toml")) {
        return Answer::yes(fmt::format("an API key in ~/{}/config.toml", dir));
      }
    }
    return Answer::no("no Kimi login in ~/.kimi-code or ~/.kimi and no key variable (" +
                      spec_.login_hint + ")");
  }

  CliInvocation build(const CliTurn& turn) const override {
    return turn.dialect == kKimiCli ? build_legacy(turn) : build_code(turn);
  }

  std::unique_ptr<OutputParser> parser() const override { return std::make_unique<KimiParser>(); }

  FailureCategory classify(const RunOutcome& outcome) const override {
    // Legacy kimi-cli: 75 (EX_TEMPFAIL) is its "retryable" exit: 429, 5xx, timeouts.
    if (outcome.exit_code == 75) {
      std::string text = outcome.stderr_tail + outcome.stdout_tail;
      return text.find("imeout") != std::string::npos || text.find("timed out") != std::string::npos
                 ? FailureCategory::kTimeout
                 : FailureCategory::kRateLimited;
    }
    std::string text = outcome.stdout_tail + "\n" + outcome.stderr_tail;
    if (text.find("No model configured") != std::string::npos) {
      return FailureCategory::kNotAuthenticated;
    }
    return Adapter::classify(outcome);
  }

 private:
  CliInvocation build_code(const CliTurn& turn) const {
    CliInvocation call;
    if (!turn.prompt_file) throw std::logic_error("kimi-code needs a prompt file");
    // The pointer names the file only; the prompt itself never enters argv.
    std::string pointer = fmt::format(
        "Your task is in the file {}. Read that whole file first and do exactly what it asks; "
        "its contents are the user's request.",
        turn.prompt_file->string());
    call.argv = {turn.binary.string(),
                 "-p",
                 pointer,
                 "--output-format",
                 "stream-json",
                 "--add-dir",
                 turn.prompt_file->parent_path().string()};
    if (turn.skills_dir) {
      call.argv.push_back("--skills-dir");
      call.argv.push_back(turn.skills_dir->string());
    }
    if (!turn.settings.base_url.empty() || !turn.api_key.empty()) {
      // Kimi Code reads no provider key from the environment except the KIMI_MODEL_* family.
      call.env["KIMI_MODEL_NAME"] = turn.model.empty() ? "default" : turn.model;
      call.env["KIMI_MODEL_PROVIDER_TYPE"] = "openai";
      if (!turn.settings.base_url.empty()) call.env["KIMI_MODEL_BASE_URL"] = turn.settings.base_url;
      if (!turn.api_key.empty()) call.env["KIMI_MODEL_API_KEY"] = turn.api_key;
    } else if (!turn.model.empty()) {
      call.argv.push_back("-m");
      call.argv.push_back(turn.model);
    }
    call.home_files.push_back(
        {".kimi-code/mcp.json", mcp_servers_common(turn.mcp_servers).dump(2) + "\n"});
    call.prompt_on_stdin = false;
    return call;
  }

  CliInvocation build_legacy(const CliTurn& turn) const {
    CliInvocation call;
    call.argv = {turn.binary.string(), "--print", "--input-format",       "text", "--output-format",
                 "stream-json",        "-w",      turn.workspace.string()};
    fs::path config = turn.run_dir / "kimi-mcp.json";
    call.files.push_back({config, mcp_servers_common(turn.mcp_servers).dump(2) + "\n"});
    call.argv.push_back("--mcp-config-file");
    call.argv.push_back(config.string());
    if (turn.skills_dir) {
      call.argv.push_back("--skills-dir");
      call.argv.push_back(turn.skills_dir->string());
    }
    if (!turn.model.empty()) {
      call.argv.push_back("-m");
      call.argv.push_back(turn.model);
    }
    if (!turn.settings.base_url.empty()) call.env["KIMI_BASE_URL"] = turn.settings.base_url;
    if (!turn.api_key.empty()) call.env["KIMI_API_KEY"] = turn.api_key;
    call.prompt_on_stdin = true;
    return call;
  }
};

}  // namespace

std::unique_ptr<Adapter> make_kimi_adapter() {
  return std::make_unique<KimiAdapter>();
}

}  // namespace omk::providers
