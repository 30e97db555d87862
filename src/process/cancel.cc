#include "process/cancel.h"

#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

namespace omk::process {
namespace {

std::atomic<CancelToken*> g_interrupt_target{nullptr};
constexpr int kInterruptSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[3];

void on_interrupt(int) {
  int saved = errno;
  if (CancelToken* token = g_interrupt_target.load()) token->cancel();
  errno = saved;
}

}  // namespace

CancelToken::CancelToken() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (fd_ < 0) throw std::runtime_error("eventfd failed");
}

CancelToken::~CancelToken() {
  if (fd_ >= 0) ::close(fd_);
}

void CancelToken::cancel() noexcept {
  cancelled_.store(true, std::memory_order_release);
  uint64_t one = 1;
  ssize_t ignored = ::write(fd_, &one, sizeof one);
  (void)ignored;
}

InterruptScope::InterruptScope(CancelToken& token) {
  g_interrupt_target.store(&token);
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int i = 0; i < 3; ++i) ::sigaction(kInterruptSignals[i], &action, &g_previous[i]);
}

InterruptScope::~InterruptScope() {
  for (int i = 0; i < 3; ++i) ::sigaction(kInterruptSignals[i], &g_previous[i], nullptr);
  g_interrupt_target.store(nullptr);
}

}  // namespace omk::process
