#include "repl/chat.h"

#include <fmt/format.h>

#include <signal.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/error.h"
#include "core/json_output.h"
#include "core/log.h"
#include "core/output.h"
#include "repl/banner.h"
#include "repl/line_reader.h"
#include "repl/session.h"
#include "repl/slash_commands.h"
#include "repl/turn_executor.h"

namespace omk::repl {
namespace {

std::string trim(const std::string& text) {
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(start, end - start + 1);
}

bool is_exit_word(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::array<const char*, 5> words = {"exit", "quit", ":q", "/exit", "/quit"};
  return std::find(words.begin(), words.end(), text) != words.end();
}

runs::RunStatus once_status(int exit_code) {
  if (exit_code == 0) return runs::RunStatus::kSucceeded;
  if (exit_code == 130) return runs::RunStatus::kCancelled;
  return runs::RunStatus::kFailed;
}

int run_once(Session& session) {
  std::string prompt = trim(*session.options.once);
  if (prompt.empty()) throw usage_error("the prompt is empty: give omk chat --once \"PROMPT\"");
  TurnReport report = execute_turn(session, prompt, session.options.json);
  if (session.log) session.log->finish(once_status(report.exit_code));
  if (session.options.json) print_json(report.document);
  return report.exit_code;
}

void ignore_signal(int) {}

// Between the prompt and a turn (a slash command, the summary line) a stray Ctrl-C must not
// kill the session: the prompt and the turn install their own handlers over this one.
class SessionSignals {
 public:
  SessionSignals() {
    struct sigaction action {};
    action.sa_handler = ignore_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, &previous_);
  }
  ~SessionSignals() { ::sigaction(SIGINT, &previous_, nullptr); }
  SessionSignals(const SessionSignals&) = delete;
  SessionSignals& operator=(const SessionSignals&) = delete;

 private:
  struct sigaction previous_ {};
};

int run_loop(Session& session) {
  SessionSignals signals;
  print_out(startup_banner(session));
  LineReader reader(session.options.project_root / ".omk" / "history");
  while (true) {
    LineReader::Line line = reader.read("omk> ");
    if (line.kind == LineReader::Line::Kind::kEnd) break;
    std::string text = trim(line.text);
    if (text.empty()) continue;
    reader.remember(text);
    if (is_exit_word(text)) break;
    if (auto command = parse_slash(text)) {
      if (run_slash(session, *command) == SlashOutcome::kExit) break;
      continue;
    }
    try {
      execute_turn(session, text, false);
    } catch (const UserError& error) {
      log::error("{}", error.what());
    } catch (const std::exception& error) {
      log::error("the turn failed inside omk: {}", error.what());
    }
  }
  if (session.log) {
    session.log->finish(session.failed_turns == 0 ? runs::RunStatus::kSucceeded
                                                  : runs::RunStatus::kFailed);
    print_out(fmt::format("Session ended: {} turn{} recorded as run {} (omk inspect {}).\n",
                          session.turns, session.turns == 1 ? "" : "s", session.run_id(),
                          session.run_id()));
  } else {
    print_out("Session ended.\n");
  }
  return 0;
}

}  // namespace

int run_chat(ChatOptions options) {
  std::unique_ptr<Session> session = open_session(std::move(options));
  if (session->options.once) return run_once(*session);
  return run_loop(*session);
}

}  // namespace omk::repl
