#include "chat_fixture.h"

#include <cstdlib>

#include "mcp_peers.h"

namespace omk::repl::test_fixture {
namespace fs = std::filesystem;

ChatProject::ChatProject() {
  omk::test::git_init(root);
  fs::create_directories(root / ".omk");
  omk::test::write_text(root / "main.cc", "int main() { return 0; }\n");
  for (const std::vector<std::string>& git :
       {std::vector<std::string>{"/usr/bin/git", "-C", root.string(), "add", "-A"},
        std::vector<std::string>{"/usr/bin/git", "-C", root.string(), "-c", "user.name=t", "-c",
                                 "user.email=t@t", "commit", "-qm", "start"}}) {
    omk::test::CommandOptions options;
    options.argv = git;
    auto result = omk::test::run_command(options);
    if (result.exit_code != 0) throw std::runtime_error("git failed: " + result.err);
  }
  fs::create_directories(home);
  env["HOME"] = home.string();
  env["PATH"] = "/usr/bin:/bin";
  env["LANG"] = "C.UTF-8";
  env["TERM"] = "dumb";
  env["XDG_CACHE_HOME"] = (tmp.path() / "cache").string();
  for (const char* name : {"TMPDIR", "ASAN_OPTIONS", "UBSAN_OPTIONS"}) {
    if (const char* value = std::getenv(name)) env[name] = value;
  }
}

bool ChatProject::use_peers() {
  fs::path bin = omk::test::peers_dir() / ".bin";
  if (!fs::exists(bin / "claude")) return false;
  env["PATH"] = omk::test::node22_dir().string() + ":" + bin.string() + ":/usr/bin:/bin";
  return true;
}

void ChatProject::claude_at(const omk::test::ModelServer& server, const std::string& extra) {
  env["FAKE_MODEL_API_KEY"] = "dummy-key-for-the-fake-model";
  omk::test::write_text(root / ".omk/config.toml",
                        "[providers.claude]\nbase_url = \"" + server.base_url() +
                            "\"\napi_key_env = \"FAKE_MODEL_API_KEY\"\n" + extra);
}

std::unique_ptr<omk::test::PtyProcess> ChatProject::start(const std::vector<std::string>& args,
                                                          bool ignore_hangup) const {
  std::vector<std::string> argv = {omk::test::omk_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return std::make_unique<omk::test::PtyProcess>(argv, root, env, ignore_hangup);
}

omk::test::CommandResult ChatProject::run(const std::vector<std::string>& args,
                                          const std::string& stdin_data) const {
  omk::test::CommandOptions options;
  options.argv = {omk::test::omk_binary()};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.cwd = root;
  options.env = env;
  options.stdin_data = stdin_data;
  return omk::test::run_command(options);
}

std::string ChatProject::only_run_id() const {
  std::vector<std::string> ids;
  if (!fs::exists(root / ".omk/runs")) return "";
  for (const auto& entry : fs::directory_iterator(root / ".omk/runs")) {
    if (entry.is_directory()) ids.push_back(entry.path().filename().string());
  }
  return ids.size() == 1 ? ids.front() : "";
}

std::string script(const std::string& steps_json) {
  return "{\"steps\": " + steps_json + "}";
}

}  // namespace omk::repl::test_fixture
