#pragma once
// The scripted test servers' main loop: serve until SIGTERM/SIGINT, or (exit_on_eof) until the
// test closes the server's stdin, then leave the process at once.

#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace omk::test {

[[noreturn]] inline void serve_until_stopped(httplib::Server& server, bool exit_on_eof) {
  // httplib's stop() before listening has begun does nothing: wait for it, or an early EOF or
  // SIGTERM (a test that gives up at once) would leave the server running for ever.
  auto stop_when_listening = [&server] {
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    server.stop();
  };
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([signals, stop_when_listening]() mutable {
    int received = 0;
    sigwait(&signals, &received);
    stop_when_listening();
  }).detach();
  if (exit_on_eof) {
    std::thread([stop_when_listening] {
      char buffer[256];
      while (::read(STDIN_FILENO, buffer, sizeof buffer) > 0) {
      }
      stop_when_listening();
    }).detach();
  }
  server.listen_after_bind();
  // The detached threads may still reach for the server (a SIGTERM after the EOF): end the
  // process without destroying it under them.
  std::fflush(nullptr);
  std::_Exit(0);
}

}  // namespace omk::test
