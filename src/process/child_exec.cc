// The code between fork and exec. Only async-signal-safe calls: raw syscalls and the handful
// of libc functions POSIX lists as safe. No allocation, no locks, no exceptions, no logging.
#include "process/child_exec.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace omk::process::detail {
namespace {

void copy_step(char* out, size_t size, const char* step) {
  size_t i = 0;
  for (; step != nullptr && step[i] != '\0' && i + 1 < size; ++i) out[i] = step[i];
  out[i] = '\0';
}

[[noreturn]] void fail(const ExecPlan& plan, const char* step, int error) {
  ChildFailure failure;
  failure.error = error;
  copy_step(failure.step, sizeof failure.step, step);
  if (plan.report_write >= 0) {
    ssize_t ignored = ::write(plan.report_write, &failure, sizeof failure);
    (void)ignored;
  }
  _exit(error == ENOENT || error == ENOTDIR ? 127 : 126);
}

void reset_signals() {
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    ::sigaction(sig, &action, nullptr);  // glibc-internal signals refuse with EINVAL: fine
  }
}

// Marks every descriptor above stderr close-on-exec, whoever opened it and however: nothing
// of omk's (sockets, files, other children's pipes) may reach the program.
void close_inherited_on_exec(const ExecPlan& plan) {
  if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
  for (int fd = 3; fd < plan.close_fallback_limit; ++fd) {
    int flags = ::fcntl(fd, F_GETFD);
    if (flags >= 0 && !(flags & FD_CLOEXEC)) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}

bool parent_already_gone(const ExecPlan& plan) {
  if (plan.lifeline_read < 0) return false;
  pollfd fd = {plan.lifeline_read, POLLIN, 0};
  return ::poll(&fd, 1, 0) > 0 && (fd.revents & (POLLHUP | POLLIN));
}

// The supervisor stays outside the program: it reaps everything (it may be PID 1 of a
// namespace) and reports the program's own wait status. It is a copy of omk's memory, so it
// makes itself undumpable: the program cannot read it through /proc or ptrace.
// Closes every descriptor but `keep`: the supervisor never execs, so close-on-exec does not
// help, and any pipe end it kept (the program's stdin, omk's own) would hold the pipe open.
void close_all_except(const ExecPlan& plan, int keep) {
  bool ranges_closed = true;
  if (keep > 0) {
    ranges_closed = ::syscall(SYS_close_range, 0U, static_cast<unsigned int>(keep - 1), 0U) == 0;
  }
  unsigned int first = keep >= 0 ? static_cast<unsigned int>(keep + 1) : 0U;
  if (ranges_closed && ::syscall(SYS_close_range, first, ~0U, 0U) == 0) return;
  for (int fd = 0; fd < plan.close_fallback_limit; ++fd) {  // kernels before 5.9
    if (fd != keep) ::close(fd);
  }
}

[[noreturn]] void supervise(const ExecPlan& plan, pid_t program) {
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  close_all_except(plan, plan.status_write);
  int status = 0;
  for (;;) {
    int reaped_status = 0;
    pid_t reaped = ::waitpid(-1, &reaped_status, __WALL);
    if (reaped == program) {
      status = reaped_status;
      break;
    }
    if (reaped < 0 && errno != EINTR) {
      status = 127 << 8;
      break;
    }
  }
  if (plan.status_write >= 0) {
    ssize_t ignored = ::write(plan.status_write, &status, sizeof status);
    (void)ignored;
  }
  _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

void exec_program(const ExecPlan& plan) {
  int saved = ENOENT;
  for (const char* path : plan.candidates) {
    ::execve(path, plan.argv.data(), plan.envp.data());
    int error = errno;
    // Like execvp: keep looking past a PATH entry that is missing or not permitted.
    if (error == ENOENT || error == ENOTDIR) continue;
    saved = error;
    if (error != EACCES && error != EPERM) break;
  }
  fail(plan, "exec", saved);
}

}  // namespace

void run_child(const ExecPlan& plan) noexcept {
  // The parent blocked every signal around fork; handlers it installed must not run here.
  reset_signals();
  if (plan.new_session) {
    if (::setsid() < 0) fail(plan, "setsid", errno);
  } else if (::setpgid(0, 0) < 0) {
    fail(plan, "setpgid", errno);
  }
  if (plan.die_with_parent) {
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) fail(plan, "PR_SET_PDEATHSIG", errno);
    if (parent_already_gone(plan)) _exit(127);
  }
  for (int target = 0; target <= 2; ++target) {
    int source = plan.stdio[target];
    if (source >= 0 && ::dup2(source, target) < 0) fail(plan, "redirect stdio", errno);
  }
  close_inherited_on_exec(plan);

  if (plan.setup != nullptr) {
    const char* step = "sandbox setup";
    if (int error = plan.setup->prepare_in_child(&step); error != 0) fail(plan, step, error);
    if (plan.setup->wants_supervisor()) {
      // A raw clone, not glibc's fork(): fork() takes glibc's atfork lock, which another thread
      // of omk may have held at the moment this child was cloned (a multi-threaded DAG run
      // spawning git on one thread and a sandboxed lane on another), and would deadlock here.
      pid_t program =
          static_cast<pid_t>(::syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, nullptr));
      if (program < 0) fail(plan, "fork the program under its supervisor", errno);
      if (program > 0) supervise(plan, program);
      if (plan.die_with_parent) ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    }
  }
  if (!plan.cwd.empty() && ::chdir(plan.cwd.c_str()) < 0)
    fail(plan, "chdir to the working directory", errno);
  if (plan.setup != nullptr) {
    const char* step = "sandbox restrictions";
    if (int error = plan.setup->restrict_in_child(&step); error != 0) fail(plan, step, error);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  exec_program(plan);
  _exit(127);
}

}  // namespace omk::process::detail
