#include "repl/line_reader.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
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

// SIGINT sets a flag (no SA_RESTART, so poll returns EINTR) while the prompt is shown.
class PromptSignals {
 public:
  PromptSignals() {
    struct sigaction action {};
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    ::sigaction(SIGINT, &action, &previous_);
  }
  ~PromptSignals() { ::sigaction(SIGINT, &previous_, nullptr); }
  PromptSignals(const PromptSignals&) = delete;
  PromptSignals& operator=(const PromptSignals&) = delete;

 private:
  struct sigaction previous_ {};
};

}  // namespace

LineReader::LineReader(std::filesystem::path history_file)
    : history_file_(std::move(history_file)) {
  rl_catch_signals = 0;
  rl_catch_sigwinch = 1;
  rl_readline_name = "omk";
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
  bool interrupted_once = false;
  rl_callback_handler_install(prompt.c_str(), on_line);
  while (!g_line_ready) {
    pollfd fd{STDIN_FILENO, POLLIN, 0};
    int ready = ::poll(&fd, 1, -1);
    if (g_interrupted) {
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
    if (ready < 0) {
      if (errno == EINTR) continue;
      rl_callback_handler_remove();
      return {};
    }
    if (fd.revents & (POLLIN | POLLHUP | POLLERR)) {
      interrupted_once = false;
      rl_callback_read_char();
    }
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
