#include "process/child.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "process/child_exec.h"

namespace omk::process {
namespace {

// A descriptor that closes itself unless released.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// Keeps pipe ends off 0..2 so the child's dup2 onto stdio never clobbers a source it still
// needs (omk may have been started with a standard stream closed).
Fd above_stdio(int fd) {
  if (fd < 0 || fd > 2) return Fd(fd);
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  int error = errno;
  ::close(fd);
  if (moved < 0) throw SpawnError("move a pipe above stdio", error);
  return Fd(moved);
}

struct Pipe {
  Fd read;
  Fd write;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) throw SpawnError("create a pipe", errno);
  Pipe pipe;
  pipe.read = above_stdio(fds[0]);
  pipe.write = above_stdio(fds[1]);
  return pipe;
}

void set_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

std::vector<std::string> exec_candidates(const SpawnOptions& options) {
  const std::string& program = options.argv.front();
  if (program.find('/') != std::string::npos) return {program};
  std::string path = "/usr/local/bin:/usr/bin:/bin";
  if (auto it = options.env.find("PATH"); it != options.env.end()) path = it->second;
  std::vector<std::string> candidates;
  size_t start = 0;
  while (start <= path.size()) {
    size_t colon = path.find(':', start);
    if (colon == std::string::npos) colon = path.size();
    std::string dir = path.substr(start, colon - start);
    candidates.push_back((dir.empty() ? std::string(".") : dir) + "/" + program);
    start = colon + 1;
  }
  return candidates;
}

void fill_plan_strings(const SpawnOptions& options, detail::ExecPlan& plan) {
  plan.candidate_storage = exec_candidates(options);
  for (const auto& candidate : plan.candidate_storage) plan.candidates.push_back(candidate.c_str());
  plan.argv_storage = options.argv;
  for (auto& arg : plan.argv_storage) plan.argv.push_back(arg.data());
  plan.argv.push_back(nullptr);
  for (const auto& [name, value] : options.env) plan.env_storage.push_back(name + "=" + value);
  for (auto& entry : plan.env_storage) plan.envp.push_back(entry.data());
  plan.envp.push_back(nullptr);
  plan.cwd = options.cwd.string();
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY) {
    plan.close_fallback_limit = static_cast<int>(std::min<rlim_t>(files.rlim_cur, 65536));
  }
}

// Blocks every signal in this thread for the duration, so no handler of omk's runs in the
// child before it has reset them.
class SignalsBlocked {
 public:
  SignalsBlocked() {
    sigset_t all;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &saved_);
  }
  ~SignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }

 private:
  sigset_t saved_;
};

pid_t start_child(const detail::ExecPlan& plan, unsigned long clone_flags) {
  SignalsBlocked blocked;
  pid_t pid;
  if (clone_flags != 0) {
    // Raw clone: glibc's clone() wants a separate stack; with a null stack the child runs on a
    // copy of this one, exactly like fork. The child only makes async-signal-safe calls.
    pid = static_cast<pid_t>(
        ::syscall(SYS_clone, clone_flags | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
  } else {
    pid = ::fork();
  }
  if (pid == 0) detail::run_child(plan);
  return pid;
}

// Reads the child's report until EOF: nothing means exec succeeded.
std::optional<detail::ChildFailure> read_report(int fd) {
  detail::ChildFailure failure;
  size_t got = 0;
  auto* bytes = reinterpret_cast<char*>(&failure);
  for (;;) {
    ssize_t n = ::read(fd, bytes + got, sizeof failure - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
    if (got == sizeof failure) break;
  }
  if (got < sizeof failure) return std::nullopt;
  failure.step[sizeof failure.step - 1] = '\0';
  return failure;
}

}  // namespace

SpawnError::SpawnError(std::string step, int error)
    : std::runtime_error(step + ": " + std::strerror(error)),
      step_(std::move(step)),
      error_(error) {}

int SpawnError::shell_code() const {
  return (step_ == "exec" && (error_ == ENOENT || error_ == ENOTDIR)) ? 127 : 126;
}

Child Child::spawn(const SpawnOptions& options) {
  if (options.argv.empty() || options.argv.front().empty()) throw SpawnError("exec", ENOENT);
  detail::ExecPlan plan;
  fill_plan_strings(options, plan);
  plan.new_session = options.new_session;
  plan.die_with_parent = options.die_with_parent;
  plan.setup = options.setup;

  Pipe in, out, err, report, lifeline, status;
  Fd null_fd;
  auto connect = [&](Stdio mode, Pipe& pipe, bool child_reads, int target) {
    if (mode == Stdio::kPipe) {
      pipe = make_pipe();
      plan.stdio[target] = child_reads ? pipe.read.get() : pipe.write.get();
    } else if (mode == Stdio::kNull) {
      if (null_fd.get() < 0) {
        null_fd = above_stdio(::open("/dev/null", O_RDWR | O_CLOEXEC));
        if (null_fd.get() < 0) throw SpawnError("open /dev/null", errno);
      }
      plan.stdio[target] = null_fd.get();
    }
  };
  connect(options.stdin_mode, in, true, 0);
  connect(options.stdout_mode, out, false, 1);
  connect(options.stderr_mode, err, false, 2);
  report = make_pipe();
  plan.report_write = report.write.get();
  if (options.die_with_parent) {
    lifeline = make_pipe();
    plan.lifeline_read = lifeline.read.get();
  }
  bool supervised = options.setup != nullptr && options.setup->wants_supervisor();
  if (supervised) {
    status = make_pipe();
    plan.status_write = status.write.get();
  }
  unsigned long clone_flags = options.setup != nullptr ? options.setup->clone_flags() : 0;

  pid_t pid = start_child(plan, clone_flags);
  if (pid < 0) throw SpawnError(clone_flags != 0 ? "namespaces: clone" : "fork", errno);

  // Close the child's ends here, so EOF on the report pipe means the child exec'd (or died).
  report.write.reset();
  status.write.reset();
  in.read.reset();
  out.write.reset();
  err.write.reset();
  null_fd.reset();
  lifeline.read.reset();

  Child child;
  child.pid_ = pid;
  child.own_group_ = true;
  auto failure = read_report(report.read.get());
  lifeline.write.reset();
  if (failure) {
    child.wait();
    throw SpawnError(failure->step, failure->error);
  }
  child.stdin_ = in.write.release();
  child.stdout_ = out.read.release();
  child.stderr_ = err.read.release();
  for (int fd : {child.stdin_, child.stdout_, child.stderr_}) {
    if (fd >= 0) set_nonblocking(fd);
  }
  child.supervisor_status_ = status.read.release();
  if (child.supervisor_status_ >= 0) set_nonblocking(child.supervisor_status_);
  child.pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));  // close-on-exec by default
  return child;
}

Child::Child(Child&& other) noexcept {
  *this = std::move(other);
}

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    release();
    pid_ = std::exchange(other.pid_, -1);
    own_group_ = other.own_group_;
    stdin_ = std::exchange(other.stdin_, -1);
    stdout_ = std::exchange(other.stdout_, -1);
    stderr_ = std::exchange(other.stderr_, -1);
    pidfd_ = std::exchange(other.pidfd_, -1);
    supervisor_status_ = std::exchange(other.supervisor_status_, -1);
    status_ = std::move(other.status_);
    other.status_.reset();
  }
  return *this;
}

Child::~Child() {
  release();
}

void Child::release() noexcept {
  if (pid_ > 0 && !status_) {
    signal_group(SIGKILL);
    try {
      wait();
    } catch (...) {
    }
  }
  for (int* fd : {&stdin_, &stdout_, &stderr_, &pidfd_, &supervisor_status_}) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
  pid_ = -1;
}

void Child::close_stdin() {
  if (stdin_ >= 0) ::close(stdin_);
  stdin_ = -1;
}
void Child::close_stdout() {
  if (stdout_ >= 0) ::close(stdout_);
  stdout_ = -1;
}
void Child::close_stderr() {
  if (stderr_ >= 0) ::close(stderr_);
  stderr_ = -1;
}

void Child::signal_group(int sig) const {
  if (pid_ <= 0 || status_) return;  // once reaped, the pid may belong to someone else
  if (!own_group_ || ::kill(-pid_, sig) < 0) ::kill(pid_, sig);
}

bool Child::has_exited() const {
  if (status_) return true;
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) < 0) {
    return errno == ECHILD;
  }
  return info.si_pid != 0;
}

const ExitStatus& Child::wait() {
  if (status_) return *status_;
  ExitStatus result;
  for (;;) {
    pid_t got = ::wait4(pid_, &result.wait_status, 0, &result.usage);
    if (got == pid_) break;
    if (got < 0 && errno != EINTR) {
      result.wait_status = 127 << 8;
      break;
    }
  }
  // A supervisor reports the program's own status; its own is only a mirror of it (or, when
  // it was killed, the truth).
  if (supervisor_status_ >= 0) {
    int program_status = 0;
    if (::read(supervisor_status_, &program_status, sizeof program_status) ==
        static_cast<ssize_t>(sizeof program_status)) {
      result.wait_status = program_status;
    }
    ::close(supervisor_status_);
    supervisor_status_ = -1;
  }
  status_ = result;
  return *status_;
}

}  // namespace omk::process
