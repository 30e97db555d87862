#include "process/exit_status.h"

#include <sys/wait.h>

#include <cstring>

namespace omk::process {
namespace {

double to_ms(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) * 1000.0 + static_cast<double>(tv.tv_usec) / 1000.0;
}

}  // namespace

bool ExitStatus::exited() const {
  return WIFEXITED(wait_status);
}
bool ExitStatus::signaled() const {
  return WIFSIGNALED(wait_status);
}
int ExitStatus::code() const {
  return exited() ? WEXITSTATUS(wait_status) : 0;
}
int ExitStatus::signal() const {
  return signaled() ? WTERMSIG(wait_status) : 0;
}
int ExitStatus::shell_code() const {
  return signaled() ? 128 + signal() : code();
}
double ExitStatus::user_ms() const {
  return to_ms(usage.ru_utime);
}
double ExitStatus::system_ms() const {
  return to_ms(usage.ru_stime);
}
int64_t ExitStatus::max_rss_kb() const {
  return usage.ru_maxrss;
}

std::string ExitStatus::describe() const {
  if (signaled()) {
    const char* name = sigabbrev_np(signal());
    return std::string("killed by ") +
           (name ? std::string("SIG") + name : std::to_string(signal()));
  }
  return "exit " + std::to_string(code());
}

}  // namespace omk::process
