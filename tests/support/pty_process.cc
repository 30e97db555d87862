#include "pty_process.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace omk::test {

PtyProcess::PtyProcess(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                       const std::map<std::string, std::string>& env, bool ignore_hangup) {
  // Everything the child needs is built before the fork.
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& arg : args) argp.push_back(arg.data());
  argp.push_back(nullptr);
  std::string dir = cwd.string();

  winsize size{};
  size.ws_row = 50;
  size.ws_col = 200;
  pid_ = ::forkpty(&master_, nullptr, nullptr, &size);
  if (pid_ < 0) throw std::runtime_error("forkpty failed");
  if (pid_ == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    if (ignore_hangup) ::signal(SIGHUP, SIG_IGN);
    ::execve(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  reader_ = std::thread([this] { read_loop(); });
}

PtyProcess::~PtyProcess() {
  {
    std::lock_guard lock(mutex_);
    if (!reaped_) ::kill(pid_, SIGKILL);
  }
  wait_exit(std::chrono::seconds(30));
  if (master_ >= 0) ::close(master_);  // the reader ends on EIO/EOF first
  if (reader_.joinable()) reader_.join();
}

void PtyProcess::read_loop() {
  char buffer[4096];
  while (true) {
    pollfd fd{master_, POLLIN, 0};
    int ready = ::poll(&fd, 1, 200);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      std::lock_guard lock(mutex_);
      if (reaped_ || hanging_up_) break;  // the child is gone and nothing more came
      continue;
    }
    ssize_t n = ::read(master_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EIO: every process holding the terminal has closed it
    std::lock_guard lock(mutex_);
    output_.append(buffer, static_cast<size_t>(n));
    changed_.notify_all();
  }
  std::lock_guard lock(mutex_);
  closed_ = true;
  changed_.notify_all();
}

void PtyProcess::hang_up() {
  {
    std::lock_guard lock(mutex_);
    hanging_up_ = true;
  }
  // The reader stops at its next idle poll; the terminal closes only after, so the reader never
  // touches a closed (or reused) descriptor.
  if (reader_.joinable()) reader_.join();
  if (master_ >= 0) ::close(master_);
  master_ = -1;
}

void PtyProcess::type(const std::string& keys) {
  size_t done = 0;
  while (done < keys.size()) {
    ssize_t n = ::write(master_, keys.data() + done, keys.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

size_t PtyProcess::wait_for(const std::string& needle, size_t from,
                            std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (from <= output_.size()) {
      size_t at = output_.find(needle, from);
      if (at != std::string::npos) return at + needle.size();
    }
    if (closed_) return std::string::npos;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
      size_t at = from <= output_.size() ? output_.find(needle, from) : std::string::npos;
      return at == std::string::npos ? std::string::npos : at + needle.size();
    }
  }
}

int PtyProcess::wait_exit(std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (reaped_) return exit_code_;
    }
    int status = 0;
    pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      std::lock_guard lock(mutex_);
      reaped_ = true;
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string PtyProcess::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

}  // namespace omk::test
