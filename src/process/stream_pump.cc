#include "process/stream_pump.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

namespace omk::process {
namespace {

constexpr size_t kChunk = 64 * 1024;
// Without a pidfd the child's exit is noticed by polling this often.
constexpr int kExitPollMs = 50;

// A child that stops reading must not kill omk with SIGPIPE: the signal is blocked in this
// thread for the write and consumed when the write raised it.
ssize_t write_without_sigpipe(int fd, const char* data, size_t size) {
  sigset_t pipe_signal, saved;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_signal, &saved);
  ssize_t n = ::write(fd, data, size);
  int error = errno;
  if (n < 0 && error == EPIPE) {
    timespec zero{0, 0};
    ::sigtimedwait(&pipe_signal, nullptr, &zero);
  }
  ::pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  errno = error;
  return n;
}

int poll_timeout_ms(std::optional<Clock::time_point> until, bool need_exit_polling) {
  int timeout = -1;
  if (until) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(*until - Clock::now()).count();
    timeout = left < 0 ? 0 : static_cast<int>(std::min<int64_t>(left, 1 << 30));
  }
  if (need_exit_polling && (timeout < 0 || timeout > kExitPollMs)) timeout = kExitPollMs;
  return timeout;
}

}  // namespace

StreamPump::StreamPump(Child& child, StreamHandler out, StreamHandler err) : child_(child) {
  out_.handler = std::move(out);
  err_.handler = std::move(err);
  out_.filter = make_stream_filter();
  err_.filter = make_stream_filter();
  out_.finished = child_.stdout_fd() < 0;
  err_.finished = child_.stderr_fd() < 0;
}

bool StreamPump::send(std::string_view data) {
  if (child_.stdin_fd() < 0) return false;
  if (pending_offset_ > 0 && pending_offset_ == pending_.size()) {
    pending_.clear();
    pending_offset_ = 0;
  }
  pending_.append(data);
  write_stdin();
  return child_.stdin_fd() >= 0;
}

void StreamPump::forward_stdin_from(int fd) {
  forward_fd_ = fd;
}

void StreamPump::close_stdin_when_drained() {
  close_when_drained_ = true;
  write_stdin();
}

void StreamPump::write_stdin() {
  int fd = child_.stdin_fd();
  if (fd < 0) return;
  while (pending_offset_ < pending_.size()) {
    ssize_t n = write_without_sigpipe(fd, pending_.data() + pending_offset_,
                                      std::min(kChunk, pending_.size() - pending_offset_));
    if (n > 0) {
      pending_offset_ += static_cast<size_t>(n);
      stdin_written_ += static_cast<uint64_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    // EPIPE or worse: the child will not read the rest.
    child_.close_stdin();
    pending_.clear();
    pending_offset_ = 0;
    forward_fd_ = -1;
    return;
  }
  pending_.clear();
  pending_offset_ = 0;
  if (close_when_drained_ && forward_fd_ < 0) child_.close_stdin();
}

void StreamPump::read_forward_source() {
  char buffer[kChunk];
  ssize_t n = ::read(forward_fd_, buffer, sizeof buffer);
  if (n > 0) {
    pending_.append(buffer, static_cast<size_t>(n));
    write_stdin();
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    forward_fd_ = -1;
    close_when_drained_ = true;
    write_stdin();
  }
}

void StreamPump::deliver(Stream& stream, std::string_view text) {
  if (text.empty()) return;
  if (stream.handler.on_data) stream.handler.on_data(text);
  CapturedStream& capture = stream.capture;
  size_t room = stream.handler.capture_limit > capture.text.size()
                    ? stream.handler.capture_limit - capture.text.size()
                    : 0;
  size_t keep = std::min(room, text.size());
  capture.text.append(text.substr(0, keep));
  capture.dropped_bytes += text.size() - keep;
}

void StreamPump::read_from(int fd, Stream& stream, bool is_stdout) {
  char buffer[kChunk];
  for (int round = 0; round < 4; ++round) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      stream.capture.read_bytes += static_cast<uint64_t>(n);
      std::string_view chunk(buffer, static_cast<size_t>(n));
      if (stream.handler.redact) {
        deliver(stream, stream.filter->feed(chunk));
      } else {
        deliver(stream, chunk);
      }
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    // EOF (or an error that means the same): release what the filter held back.
    if (is_stdout) {
      child_.close_stdout();
    } else {
      child_.close_stderr();
    }
    if (!stream.finished && stream.handler.redact) deliver(stream, stream.filter->finish());
    stream.finished = true;
    return;
  }
}

StreamPump::Wake StreamPump::pump(std::optional<Clock::time_point> until, int cancel_fd) {
  enum Slot { kOut, kErr, kIn, kForward, kExit, kCancel, kSlots };
  pollfd fds[kSlots];
  for (auto& entry : fds) entry = {-1, 0, 0};
  fds[kOut] = {child_.stdout_fd(), POLLIN, 0};
  fds[kErr] = {child_.stderr_fd(), POLLIN, 0};
  if (pending_offset_ < pending_.size()) fds[kIn] = {child_.stdin_fd(), POLLOUT, 0};
  if (forward_fd_ >= 0 && pending_offset_ >= pending_.size() && child_.stdin_fd() >= 0) {
    fds[kForward] = {forward_fd_, POLLIN, 0};
  }
  bool exit_known = exit_seen_ || child_.reaped();
  if (!exit_known) fds[kExit] = {child_.exit_fd(), POLLIN, 0};
  fds[kCancel] = {cancel_fd, POLLIN, 0};

  int timeout = poll_timeout_ms(until, !exit_known && child_.exit_fd() < 0);
  int ready = ::poll(fds, kSlots, timeout);
  Wake wake;
  if (ready < 0 && errno != EINTR) ready = 0;
  if (ready > 0) {
    if (fds[kOut].revents) read_from(fds[kOut].fd, out_, true);
    if (fds[kErr].revents) read_from(fds[kErr].fd, err_, false);
    if (fds[kIn].revents) write_stdin();
    if (fds[kForward].revents) read_forward_source();
    wake.cancelled = fds[kCancel].fd >= 0 && (fds[kCancel].revents & POLLIN);
  }
  wake.exited = exit_seen_ = exit_seen_ || child_.has_exited();
  wake.deadline = until && Clock::now() >= *until;
  return wake;
}

bool StreamPump::output_open() const {
  return child_.stdout_fd() >= 0 || child_.stderr_fd() >= 0;
}

void StreamPump::abandon_output() {
  child_.close_stdout();
  child_.close_stderr();
}

void StreamPump::finish() {
  for (Stream* stream : {&out_, &err_}) {
    if (!stream->finished && stream->handler.redact) deliver(*stream, stream->filter->finish());
    stream->finished = true;
  }
}

}  // namespace omk::process
