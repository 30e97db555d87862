#include "repl/line_reader.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include <readline/history.h>
#include <readline/readline.h>

#include "core/log.h"
#include "core/output.h"

namespace omk::repl {
namespace {

constexpr int kHistoryEntries = 1000;

volatile sig_atomic_t g_interrupted = 0;
// readline's callback interface hands the finished line to a plain function.
bool g_line_ready = false;
bool g_line_eof = false;
std::string g_line;
// The mask ppoll waits with: the caller's, with SIGINT let through.
sigset_t g_waiting_mask;
// A key omk already took off the terminal, handed to readline by read_key.
int g_taken_key = -1;

void on_sigint(int) {
  g_interrupted = 1;
}

void on_line(char* text) {
  g_line_ready = true;
  if (text == nullptr) {
    g_line_eof = true;
  } else {
    g_line = text;
    std::free(text);
  }
  // Stop reading until the caller asks for the next line (a turn runs in between).
  rl_callback_handler_remove();
}

// Readline's terminal mode, but a read that finds nothing queued returns 0 instead of blocking
// (VMIN 0). Ctrl-C makes the kernel flush the typed line, possibly just after poll said it was
// readable; a blocking read would then wait for the next key with the interrupt unnoticed.
// rl_deprep_terminal restores the user's settings.
void prep_terminal(int meta_flag) {
  rl_prep_terminal(meta_flag);
  termios mode{};
  if (::tcgetattr(STDIN_FILENO, &mode) != 0) return;
  mode.c_cc[VMIN] = 0;
  mode.c_cc[VTIME] = 0;
  ::tcsetattr(STDIN_FILENO, TCSANOW, &mode);
}

enum class Wait { kInput, kInterrupted, kClosed };

// Waits for a key or a SIGINT; SIGINT is blocked everywhere else, so none is lost in between.
Wait wait_for_input() {
  while (true) {
    if (g_interrupted) return Wait::kInterrupted;
    pollfd fd{STDIN_FILENO, POLLIN, 0};
    int ready = ::ppoll(&fd, 1, nullptr, &g_waiting_mask);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return Wait::kClosed;
    }
    // A hung-up terminal reads as "nothing queued" under VMIN 0 (and as readable): hang-up
    // first, or the loop would spin.
    if (fd.revents & (POLLHUP | POLLERR | POLLNVAL)) return Wait::kClosed;
    if (fd.revents & POLLIN) return Wait::kInput;
  }
}

constexpr int kNothingQueued = -2;

// One byte from the terminal: the byte, kNothingQueued when the queue was flushed after all,
// EOF when the terminal is gone.
int take_byte() {
  while (true) {
    unsigned char byte = 0;
    ssize_t got = ::read(STDIN_FILENO, &byte, 1);
    if (got == 1) return byte;
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && errno != EAGAIN) return EOF;
    return kNothingQueued;
  }
}

// readline's getc. The first key of each step was taken by LineReader::read; later ones (the
// rest of a multibyte character) are read here. If a Ctrl-C cuts such a sequence, NUL ends it;
// the line is cleared right after anyway.
int read_key(FILE*) {
  if (g_taken_key >= 0) {
    int key = g_taken_key;
    g_taken_key = -1;
    return key;
  }
  while (true) {
    switch (wait_for_input()) {
      case Wait::kInterrupted:
        return 0;
      case Wait::kClosed:
        return EOF;
      case Wait::kInput:
        break;
    }
    int key = take_byte();
    if (key != kNothingQueued) return key;
  }
}

// Installs omk's SIGINT handler for the prompt and blocks SIGINT outside ppoll.
class PromptSignals {
 public:
  PromptSignals() {
    struct sigaction action {};
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    ::sigaction(SIGINT, &action, &previous_);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    ::pthread_sigmask(SIG_BLOCK, &block, &previous_mask_);
    g_waiting_mask = previous_mask_;
    sigdelset(&g_waiting_mask, SIGINT);
  }
  ~PromptSignals() {
    ::pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
    ::sigaction(SIGINT, &previous_, nullptr);
  }
  PromptSignals(const PromptSignals&) = delete;
  PromptSignals& operator=(const PromptSignals&) = delete;

 private:
  struct sigaction previous_ {};
  sigset_t previous_mask_{};
};

}  // namespace

LineReader::LineReader(std::filesystem::path history_file)
    : history_file_(std::move(history_file)) {
  rl_catch_signals = 0;
  rl_catch_sigwinch = 1;
  rl_readline_name = "omk";
  rl_prep_term_function = prep_terminal;
  rl_getc_function = read_key;
  using_history();
  stifle_history(kHistoryEntries);
}

LineReader::~LineReader() {
  rl_callback_handler_remove();
}

LineReader::Line LineReader::read(const std::string& prompt) {
  if (!history_loaded_) {
    history_loaded_ = true;
    if (::access(history_file_.c_str(), R_OK) == 0) ::read_history(history_file_.c_str());
  }
  PromptSignals signals;
  g_interrupted = 0;
  g_line_ready = false;
  g_line_eof = false;
  g_line.clear();
  g_taken_key = -1;
  bool interrupted_once = false;
  rl_callback_handler_install(prompt.c_str(), on_line);
  while (!g_line_ready) {
    Wait waited = wait_for_input();
    if (waited == Wait::kInterrupted) {
      g_interrupted = 0;
      if (interrupted_once) {
        rl_callback_handler_remove();
        print_out("\n");
        return {};
      }
      interrupted_once = true;
      // Drop what was typed and show a fresh prompt.
      rl_replace_line("", 0);
      rl_point = rl_end = 0;
      rl_callback_handler_remove();
      print_out("^C (Ctrl-C again or Ctrl-D to leave)\n");
      rl_callback_handler_install(prompt.c_str(), on_line);
      continue;
    }
    if (waited == Wait::kClosed) {
      rl_callback_handler_remove();
      return {};
    }
    int key = take_byte();
    if (key == kNothingQueued) continue;  // flushed by a Ctrl-C: the interrupt comes next
    if (key == EOF) {
      rl_callback_handler_remove();
      return {};
    }
    interrupted_once = false;
    g_taken_key = key;
    rl_callback_read_char();
  }
  if (g_line_eof) {
    print_out("\n");
    return {};
  }
  return {Line::Kind::kText, g_line};
}

void LineReader::remember(const std::string& line) {
  std::string kept = filter_output(line);
  if (kept.empty()) return;
  ::add_history(kept.c_str());
  // Created 0600 before readline appends to it (readline would use the umask).
  int fd = ::open(history_file_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    log::debug("cannot keep the chat history in {}", history_file_.string());
    return;
  }
  ::fchmod(fd, 0600);
  ::close(fd);
  if (::append_history(1, history_file_.c_str()) != 0) return;
  ::history_truncate_file(history_file_.c_str(), kHistoryEntries);
}

}  // namespace omk::repl
