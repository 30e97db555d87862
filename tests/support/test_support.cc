#include "test_support.h"

#include <fcntl.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace omk::test {
namespace fs = std::filesystem;

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/omk-test-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = fs::canonical(buffer.data());
}

TempDir::~TempDir() {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  }
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(path_, ec);
}

namespace {

void drain(int fd, std::string& into, bool& open) {
  char buffer[65536];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n > 0) {
    into.append(buffer, static_cast<size_t>(n));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    open = false;
  }
}

}  // namespace

CommandResult run_command(const CommandOptions& options) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) || ::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC)) {
    throw std::runtime_error("pipe failed");
  }
  std::vector<std::string> env_strings;
  if (options.env) {
    for (const auto& [k, v] : *options.env) env_strings.push_back(k + "=" + v);
  }
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<char*> argv;
  for (const auto& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::string cwd = options.cwd ? options.cwd->string() : std::string();

  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) _exit(127);
    if (options.env) {
      ::execve(argv[0], argv.data(), envp.data());
    } else {
      ::execv(argv[0], argv.data());
    }
    _exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);

  CommandResult result;
  size_t written = 0;
  bool in_open = true, out_open = true, err_open = true;
  if (options.stdin_data.empty()) {
    ::close(in_pipe[1]);
    in_open = false;
  } else {
    ::fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
  }
  while (out_open || err_open) {
    pollfd fds[3] = {{out_pipe[0], POLLIN, 0},
                     {err_pipe[0], POLLIN, 0},
                     {in_open ? in_pipe[1] : -1, POLLOUT, 0}};
    if (::poll(fds, 3, -1) < 0 && errno != EINTR) break;
    if (out_open && fds[0].revents) drain(out_pipe[0], result.out, out_open);
    if (err_open && fds[1].revents) drain(err_pipe[0], result.err, err_open);
    if (in_open && fds[2].revents) {
      ssize_t n = ::write(in_pipe[1], options.stdin_data.data() + written,
                          options.stdin_data.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 && errno != EAGAIN && errno != EINTR) written = options.stdin_data.size();
      if (written >= options.stdin_data.size()) {
        ::close(in_pipe[1]);
        in_open = false;
      }
    }
  }
  if (in_open) ::close(in_pipe[1]);
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::string omk_binary() {
  return OMK_TEST_BINARY;
}

CommandResult run_omk(const std::vector<std::string>& args, const fs::path& cwd,
                      const std::map<std::string, std::string>& env) {
  CommandOptions options;
  options.argv.push_back(omk_binary());
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.cwd = cwd;
  std::map<std::string, std::string> child_env;
  for (char** e = environ; *e; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq) child_env[std::string(*e, static_cast<size_t>(eq - *e))] = eq + 1;
  }
  for (const auto& [k, v] : env) {
    if (v == "\x01") {
      child_env.erase(k);
    } else {
      child_env[k] = v;
    }
  }
  options.env = child_env;
  return run_command(options);
}

CommandResult run_omk_with_readonly_dir(const std::vector<std::string>& args, const fs::path& cwd,
                                        const fs::path& readonly_dir) {
  if (::geteuid() != 0) {
    fs::permissions(readonly_dir,
                    fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                    fs::perm_options::remove);
    auto result = run_omk(args, cwd);
    fs::permissions(readonly_dir, fs::perms::owner_write, fs::perm_options::add);
    return result;
  }
  // Root ignores permission bits, so make the directory read-only the way a read-only mount
  // would: EROFS from the kernel.
  CommandOptions options;
  options.argv = {"/usr/bin/unshare",
                  "--mount",
                  "--propagation",
                  "private",
                  "--",
                  "/bin/sh",
                  "-c",
                  "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && shift && "
                  "exec \"$@\"",
                  "sh",
                  readonly_dir.string(),
                  omk_binary()};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.cwd = cwd;
  return run_command(options);
}

std::string schema_errors(const std::string& schema_name, const std::string& document) {
  CommandOptions options;
  options.argv = {"/usr/bin/python3", OMK_TEST_SOURCE_DIR "/tests/support/validate_json.py",
                  OMK_TEST_SOURCE_DIR "/schemas/" + schema_name + ".json"};
  options.stdin_data = document;
  auto result = run_command(options);
  if (result.exit_code == 0) return "";
  return result.out + result.err;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_text(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

void git_init(const fs::path& dir) {
  CommandOptions options;
  options.argv = {"/usr/bin/git", "init", "-q", dir.string()};
  auto result = run_command(options);
  if (result.exit_code != 0) throw std::runtime_error("git init failed: " + result.err);
}

ScriptedServer::ScriptedServer(const std::string& binary, const std::string& script,
                               const std::string& name)
    : name_(name) {
  std::vector<std::string> argv = {binary, "--exit-on-eof"};
  if (!script.empty()) {
    write_text(dir_.path() / "script.json", script);
    argv.push_back("--script");
    argv.push_back((dir_.path() / "script.json").string());
  }
  int in_pipe[2], out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) || ::pipe2(out_pipe, O_CLOEXEC)) {
    throw std::runtime_error("pipe failed");
  }
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::execv(args[0], args.data());
    _exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  stdin_fd_ = in_pipe[1];
  std::string line;
  char c;
  while (::read(out_pipe[0], &c, 1) == 1 && c != '\n') line += c;
  ::close(out_pipe[0]);
  port_ = line.empty() ? 0 : std::stoi(line);
  if (port_ <= 0) throw std::runtime_error(name_ + " did not report a port: " + line);
}

ScriptedServer::~ScriptedServer() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);  // --exit-on-eof: it stops by itself
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    // A handler still sleeping in a scripted "delay_ms" (a turn cancelled or timed out while the
    // model was "thinking") would hold the server's stop for the whole delay: give it a few
    // seconds, then kill it.
    int status = 0;
    for (int waited_ms = 0; waited_ms < 5000; waited_ms += 20) {
      pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_ || (done < 0 && errno != EINTR)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

nlohmann::json ScriptedServer::requests() const {
  httplib::Client client("127.0.0.1", port_);
  auto response = client.Get("/_omk/requests");
  if (!response || response->status != 200) throw std::runtime_error(name_ + " unreachable");
  return nlohmann::json::parse(response->body);
}

}  // namespace omk::test
