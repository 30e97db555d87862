#include "process/runner.h"

#include <signal.h>

#include <cstring>

#include "core/exit_codes.h"

namespace omk::process {
namespace {

std::optional<Clock::time_point> earliest(std::optional<Clock::time_point> a,
                                          std::optional<Clock::time_point> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

// The escalation after a timeout or a cancel: SIGTERM now, SIGKILL when the grace ends.
class Stopper {
 public:
  Stopper(Child& child, std::chrono::milliseconds grace) : child_(child), grace_(grace) {}
  void stop() {
    if (kill_at_ || killed_) return;
    child_.signal_group(SIGTERM);
    kill_at_ = Clock::now() + grace_;
  }
  void tick() {
    if (kill_at_ && Clock::now() >= *kill_at_) {
      child_.signal_group(SIGKILL);
      kill_at_.reset();
      killed_ = true;
    }
  }
  std::optional<Clock::time_point> next() const { return kill_at_; }

 private:
  Child& child_;
  std::chrono::milliseconds grace_;
  std::optional<Clock::time_point> kill_at_;
  bool killed_ = false;
};

}  // namespace

std::string StartFailure::message() const {
  if (step == "exec") return std::string("cannot run the program: ") + std::strerror(error);
  return step + ": " + std::strerror(error);
}

RunResult run(const RunOptions& options) {
  RunResult result;
  auto started = Clock::now();
  if (options.cancel && options.cancel->cancelled()) {
    result.cancelled = true;
    result.exit_code = to_int(ExitCode::kInterrupted);
    return result;
  }
  SpawnOptions spawn = options.spawn;
  spawn.stdin_mode =
      options.stdin_source.kind == StdinSource::Kind::kNone ? Stdio::kNull : Stdio::kPipe;
  spawn.stdout_mode = Stdio::kPipe;
  spawn.stderr_mode = Stdio::kPipe;

  std::optional<Child> child;
  try {
    child.emplace(Child::spawn(spawn));
  } catch (const SpawnError& error) {
    result.start_failure = StartFailure{error.step(), error.error()};
    result.exit_code = error.shell_code();
    result.wall_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    return result;
  }

  StreamPump pump(*child, options.out, options.err);
  if (options.stdin_source.kind == StdinSource::Kind::kData) {
    pump.send(options.stdin_source.data);
    pump.close_stdin_when_drained();
  } else if (options.stdin_source.kind == StdinSource::Kind::kForwardFd) {
    pump.forward_stdin_from(options.stdin_source.fd);
  }

  std::optional<Clock::time_point> deadline;
  if (options.timeout) deadline = started + *options.timeout;
  std::optional<Clock::time_point> drain_until;
  Stopper stopper(*child, options.kill_grace);
  bool exited = false;
  int cancel_fd = options.cancel ? options.cancel->fd() : -1;

  for (;;) {
    auto until =
        earliest(earliest(result.timed_out ? std::nullopt : deadline, stopper.next()), drain_until);
    auto wake = pump.pump(until, result.cancelled ? -1 : cancel_fd);
    if (!result.cancelled && options.cancel && options.cancel->cancelled() && !exited) {
      result.cancelled = true;
      stopper.stop();
    }
    if (!result.timed_out && deadline && Clock::now() >= *deadline && !exited) {
      result.timed_out = true;
      stopper.stop();
    }
    stopper.tick();
    if (wake.exited && !exited) {
      exited = true;
      // The child is a zombie until reaped, so its group id cannot have been reused yet.
      if (options.kill_group_on_exit) child->signal_group(SIGKILL);
      drain_until = Clock::now() + options.drain_after_exit;
    }
    if (exited && !pump.output_open()) break;
    if (drain_until && Clock::now() >= *drain_until) {
      pump.abandon_output();
      break;
    }
  }
  pump.finish();
  const ExitStatus& status = child->wait();
  result.status = status;
  result.out = pump.out();
  result.err = pump.err();
  result.stdin_written = pump.stdin_written();
  result.wall_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  if (result.timed_out) {
    result.exit_code = to_int(ExitCode::kTimeout);
  } else if (result.cancelled) {
    result.exit_code = to_int(ExitCode::kInterrupted);
  } else {
    result.exit_code = status.shell_code();
  }
  return result;
}

}  // namespace omk::process
