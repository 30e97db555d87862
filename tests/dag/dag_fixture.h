#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace omk::test {

using JsonDoc = nlohmann::ordered_json;

// A scratch git project set up with `omk init`, for running real pipelines through the omk
// binary: real git, real sandboxed processes, real files.
class DagProject {
 public:
  DagProject();
  const std::filesystem::path& root() const { return dir_.path(); }

  void write(const std::string& relative, const std::string& content);
  std::string read(const std::string& relative) const;
  void commit(const std::string& message);
  // git in the project; throws when it fails.
  std::string git(const std::vector<std::string>& args) const;

  CommandResult omk(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env = {}) const;
  // Writes `yaml` to pipeline.yaml and runs it.
  CommandResult run_pipeline(const std::string& yaml, const std::vector<std::string>& extra = {});

  std::vector<std::string> run_ids() const;
  std::string latest_run() const;
  std::filesystem::path run_dir(const std::string& run) const;
  JsonDoc state(const std::string& run) const;  // via `omk inspect --json`
  JsonDoc node(const std::string& run, const std::string& id) const;
  std::vector<JsonDoc> events(const std::string& run) const;
  std::vector<JsonDoc> evidence(const std::string& run) const;

 private:
  TempDir dir_;
};

// omk running in the background, for Ctrl-C and kill -9 at chosen moments.
class BackgroundOmk {
 public:
  BackgroundOmk(const std::filesystem::path& cwd, const std::vector<std::string>& args);
  ~BackgroundOmk();
  BackgroundOmk(const BackgroundOmk&) = delete;
  BackgroundOmk& operator=(const BackgroundOmk&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) const;
  // The exit code (128 + signal when killed).
  int wait();
  std::string output() const;  // stdout + stderr so far

 private:
  pid_t pid_ = -1;
  TempDir logs_;
  int status_ = -1;
};

// Waits (polling, generously bounded) until `path` exists; false if it never does.
bool wait_for_file(const std::filesystem::path& path, int seconds = 60);

// A GitHub classic token in the right shape (the secret scanner's github-pat-classic rule).
inline std::string planted_token() {
  return "ghp_" + std::string("Zq7Lm2Xc9Vb4Nt6Rk1Hs8Jd3Fg5Wp0Ya2Ue4");
}

// Lines of a JSON Lines file.
std::vector<JsonDoc> read_jsonl(const std::filesystem::path& path);

}  // namespace omk::test
