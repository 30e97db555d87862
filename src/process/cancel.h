#pragma once

#include <atomic>

namespace omk::process {

// A caller's request to stop a running child. cancel() is async-signal-safe, so a SIGINT
// handler may call it; fd() wakes a poll loop.
class CancelToken {
 public:
  CancelToken();
  ~CancelToken();
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  void cancel() noexcept;
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }
  int fd() const noexcept { return fd_; }

 private:
  std::atomic<bool> cancelled_{false};
  int fd_ = -1;
};

// While alive, SIGINT, SIGTERM and SIGHUP sent to omk cancel `token` instead of killing omk:
// Ctrl-C stops the child's group (which is in its own session and never sees the terminal's
// SIGINT) and omk still reports what happened. The previous handlers come back afterwards.
class InterruptScope {
 public:
  explicit InterruptScope(CancelToken& token);
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
};

}  // namespace omk::process
