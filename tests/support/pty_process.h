#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace omk::test {

// A real process on a pseudo-terminal (forkpty), as a person at a terminal runs it: what it
// prints is collected by a reader thread; keys (including Ctrl-C as "\x03") are typed into the
// terminal, so the line discipline turns them into signals for the foreground process group.
// The process is killed when this object goes away.
class PtyProcess {
 public:
  // `ignore_hangup`: the process starts with SIGHUP ignored, as under nohup.
  PtyProcess(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
             const std::map<std::string, std::string>& env, bool ignore_hangup = false);
  ~PtyProcess();
  PtyProcess(const PtyProcess&) = delete;
  PtyProcess& operator=(const PtyProcess&) = delete;

  void type(const std::string& keys);
  // Closes the terminal, as closing its window does (what was printed so far is kept).
  void hang_up();
  // Waits until `needle` appears in the output after the position `from` (an offset into
  // output()); returns the offset just past it, or std::string::npos when the process ended or
  // `limit` passed first. The limit only bounds a hang: no test decides anything by timing.
  size_t wait_for(const std::string& needle, size_t from = 0,
                  std::chrono::milliseconds limit = std::chrono::minutes(4));
  // Waits for the process to end; its exit code (128+signal), or -1 when `limit` passed.
  int wait_exit(std::chrono::milliseconds limit = std::chrono::minutes(2));
  std::string output() const;

 private:
  void read_loop();

  pid_t pid_ = -1;
  int master_ = -1;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool closed_ = false;
  int exit_code_ = -1;
  bool reaped_ = false;
  bool hanging_up_ = false;
};

}  // namespace omk::test
