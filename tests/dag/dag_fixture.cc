#include "dag_fixture.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace omk::test {
namespace fs = std::filesystem;

DagProject::DagProject() {
  git_init(root());
  auto init = omk({"init"});
  if (init.exit_code != 0) throw std::runtime_error("omk init failed: " + init.err);
  commit("setup");
}

void DagProject::write(const std::string& relative, const std::string& content) {
  fs::path path = root() / relative;
  fs::create_directories(path.parent_path());
  write_text(path, content);
}

std::string DagProject::read(const std::string& relative) const {
  return read_text(root() / relative);
}

std::string DagProject::git(const std::vector<std::string>& args) const {
  CommandOptions options;
  options.argv = {"/usr/bin/git",
                  "-C",
                  root().string(),
                  "-c",
                  "user.name=test",
                  "-c",
                  "user.email=test@example.invalid",
                  "-c",
                  "commit.gpgsign=false"};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  auto result = run_command(options);
  if (result.exit_code != 0) {
    throw std::runtime_error("git failed: " + result.err);
  }
  return result.out;
}

void DagProject::commit(const std::string& message) {
  git({"add", "-A"});
  git({"commit", "-q", "--allow-empty", "-m", message});
}

CommandResult DagProject::omk(const std::vector<std::string>& args,
                              const std::map<std::string, std::string>& env) const {
  return run_omk(args, root(), env);
}

CommandResult DagProject::run_pipeline(const std::string& yaml,
                                       const std::vector<std::string>& extra) {
  write("pipeline.yaml", yaml);
  std::vector<std::string> args = {"run", "pipeline.yaml"};
  args.insert(args.end(), extra.begin(), extra.end());
  return omk(args);
}

std::vector<std::string> DagProject::run_ids() const {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root() / ".omk" / "runs", ec)) {
    if (fs::exists(entry.path() / "run.json")) ids.push_back(entry.path().filename().string());
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string DagProject::latest_run() const {
  auto ids = run_ids();
  if (ids.empty()) throw std::runtime_error("no run recorded");
  return ids.back();
}

fs::path DagProject::run_dir(const std::string& run) const {
  return root() / ".omk" / "runs" / run;
}

JsonDoc DagProject::state(const std::string& run) const {
  auto result = omk({"inspect", run, "--json"});
  if (result.exit_code != 0) throw std::runtime_error("omk inspect failed: " + result.err);
  return JsonDoc::parse(result.out);
}

JsonDoc DagProject::node(const std::string& run, const std::string& id) const {
  JsonDoc document = state(run);
  for (const auto& node : document["nodes"]) {
    if (node["id"] == id) return node;
  }
  throw std::runtime_error("no node " + id);
}

std::vector<JsonDoc> read_jsonl(const fs::path& path) {
  std::vector<JsonDoc> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(JsonDoc::parse(line));
  }
  return out;
}

std::vector<JsonDoc> DagProject::events(const std::string& run) const {
  return read_jsonl(run_dir(run) / "events.jsonl");
}

std::vector<JsonDoc> DagProject::evidence(const std::string& run) const {
  return read_jsonl(run_dir(run) / "evidence.jsonl");
}

BackgroundOmk::BackgroundOmk(const fs::path& cwd, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {omk_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> raw;
  for (auto& arg : argv) raw.push_back(arg.data());
  raw.push_back(nullptr);
  std::string log = (logs_.path() / "output").string();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::setpgid(0, 0);  // its own group: a test's Ctrl-C goes to omk alone
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    if (::chdir(cwd.c_str()) != 0) _exit(127);
    ::execve(raw[0], raw.data(), environ);
    _exit(127);
  }
}

BackgroundOmk::~BackgroundOmk() {
  if (status_ < 0 && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void BackgroundOmk::signal(int sig) const {
  ::kill(pid_, sig);
}

int BackgroundOmk::wait() {
  if (status_ >= 0) return status_;
  int status = 0;
  ::waitpid(pid_, &status, 0);
  status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return status_;
}

std::string BackgroundOmk::output() const {
  return read_text(logs_.path() / "output");
}

bool wait_for_file(const fs::path& path, int seconds) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (fs::exists(path)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace omk::test
