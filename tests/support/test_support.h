#pragma once

#include <sys/types.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace omk::test {

// A fresh directory under $TMPDIR, removed (with any permissions the test changed) afterwards.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;  // 128+signal when killed by a signal
  std::string out;
  std::string err;
};

struct CommandOptions {
  std::vector<std::string> argv;
  std::optional<std::filesystem::path> cwd;
  // The child's whole environment; when unset, this process's environment.
  std::optional<std::map<std::string, std::string>> env;
  std::string stdin_data;
};

// Runs a real process and captures its output. Test-only plumbing.
CommandResult run_command(const CommandOptions& options);

// The omk binary under test (the build's own).
std::string omk_binary();

// Runs omk with `args` in `cwd`; `env` entries are added to (or, with an empty value "\x01",
// removed from) this process's environment.
CommandResult run_omk(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                      const std::map<std::string, std::string>& env = {});

// Like run_omk, but with `readonly_dir` made unwritable for the child even when the tests run
// as root (a read-only bind mount in a private mount namespace; plain chmod otherwise).
CommandResult run_omk_with_readonly_dir(const std::vector<std::string>& args,
                                        const std::filesystem::path& cwd,
                                        const std::filesystem::path& readonly_dir);

// Validates `document` against schemas/<schema_name>.json; returns an empty string when valid,
// else the validator's explanation.
std::string schema_errors(const std::string& schema_name, const std::string& document);

std::string read_text(const std::filesystem::path& path);
void write_text(const std::filesystem::path& path, const std::string& content);
void git_init(const std::filesystem::path& dir);

// A scripted loopback server binary (the model server, the Images server) run as a real child
// process: `--exit-on-eof`, the script (JSON; empty: the server's default) in a temp file, the
// port read from its first line of output, its request log at /_omk/requests. It stops when this
// object goes away.
class ScriptedServer {
 public:
  ScriptedServer(const std::string& binary, const std::string& script, const std::string& name);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  int port() const { return port_; }
  // Every request received so far, as the server logged it.
  nlohmann::json requests() const;

 private:
  std::string name_;
  TempDir dir_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int port_ = 0;
};

// The scripted model server (tests/support/model_server) on 127.0.0.1. `script` is the JSON
// script (see script.h); empty means the default "shell then text" script. Its request log
// holds method, path, query, headers (lower-case), body, reply.
class ModelServer : public ScriptedServer {
 public:
  explicit ModelServer(const std::string& script = "")
      : ScriptedServer(OMK_TEST_MODEL_SERVER, script, "model server") {}

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port()); }
};

}  // namespace omk::test
