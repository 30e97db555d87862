#include "repl/terminal.h"

#include <poll.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>

#include "core/output.h"

namespace omk::repl {

bool stdin_is_terminal() {
  return ::isatty(STDIN_FILENO) == 1;
}

bool ask_yes_no(const std::string& question, const process::CancelToken* cancel) {
  print_out(question + " [y/N] ");
  // The terminal is in its cooked mode here (readline is not reading), so the line arrives
  // whole after Enter. Read byte by byte so nothing meant for the next prompt is swallowed.
  std::string answer;
  while (true) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {cancel ? cancel->fd() : -1, POLLIN, 0}};
    int ready = ::poll(fds, cancel ? 2 : 1, -1);
    if (ready < 0) {
      if (errno == EINTR && !(cancel && cancel->cancelled())) continue;
      print_out("\n");
      return false;
    }
    if (cancel && cancel->cancelled()) {
      print_out("\n");
      return false;
    }
    char byte = 0;
    ssize_t got = ::read(STDIN_FILENO, &byte, 1);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      print_out("\n");
      return false;
    }
    if (byte == '\n' || byte == '\r') break;
    answer.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(byte))));
  }
  while (!answer.empty() && answer.back() == ' ') answer.pop_back();
  while (!answer.empty() && answer.front() == ' ') answer.erase(answer.begin());
  return answer == "y" || answer == "yes";
}

}  // namespace omk::repl
