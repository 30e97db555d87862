#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace omk::repl {

// Reads the user's lines at the `omk> ` prompt with GNU readline (line editing, history).
// History lives in .omk/history (0600); each entry goes through the redactor before it is kept
// or saved, so a token pasted into a prompt is not written to disk.
//
// Ctrl-C at the prompt clears the line; a second Ctrl-C in a row ends the session, as Ctrl-D
// does. Readline's own signal handlers stay off: omk handles SIGINT itself, and while a turn
// runs the turn's interrupt scope owns it.
class LineReader {
 public:
  struct Line {
    enum class Kind { kText, kEnd } kind = Kind::kEnd;
    std::string text;
  };

  explicit LineReader(std::filesystem::path history_file);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  Line read(const std::string& prompt);
  // Keeps `line` (redacted) in the history and appends it to the history file.
  void remember(const std::string& line);

 private:
  std::filesystem::path history_file_;
  bool history_loaded_ = false;
};

}  // namespace omk::repl
