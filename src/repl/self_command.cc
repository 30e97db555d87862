#include "repl/self_command.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/log.h"

namespace omk::repl {

int run_self(const std::filesystem::path& project_root, const std::vector<std::string>& args,
             const EnvMap& env) {
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    log::error("cannot find omk's own binary: {}", error.message());
    return 1;
  }
  std::vector<std::string> argv = {self.string(), "--project", project_root.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> pointers;
  for (std::string& arg : argv) pointers.push_back(arg.data());
  pointers.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> env_pointers;
  for (std::string& entry : env_strings) env_pointers.push_back(entry.data());
  env_pointers.push_back(nullptr);

  // The session ignores Ctrl-C while the command runs; the command itself does not.
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGINT, &ignore, &previous);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  int spawned =
      ::posix_spawn(&pid, self.c_str(), nullptr, &attributes, pointers.data(), env_pointers.data());
  posix_spawnattr_destroy(&attributes);
  int code = 1;
  if (spawned != 0) {
    log::error("cannot run omk {}: {}", args.empty() ? "" : args.front(), std::strerror(spawned));
  } else {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) code = 128 + WTERMSIG(status);
  }
  ::sigaction(SIGINT, &previous, nullptr);
  return code;
}

}  // namespace omk::repl
