#include "images_server.h"

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace omk::test {

ImagesServer::ImagesServer(const std::string& script) {
  std::vector<std::string> argv = {OMK_TEST_IMAGES_SERVER, "--exit-on-eof"};
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
  if (port_ <= 0) throw std::runtime_error("images server did not report a port: " + line);
}

ImagesServer::~ImagesServer() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

nlohmann::json ImagesServer::requests() const {
  httplib::Client client("127.0.0.1", port_);
  auto response = client.Get("/_omk/requests");
  if (!response || response->status != 200) throw std::runtime_error("images server unreachable");
  return nlohmann::json::parse(response->body);
}

}  // namespace omk::test
