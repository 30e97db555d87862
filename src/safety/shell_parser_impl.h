#pragma once

// Private to shell_lexer.cc and shell_parser.cc: one recursive-descent parser whose lexer is
// re-entered for $( ... ), because where a command substitution ends depends on the grammar
// (case patterns, nested quotes), not on counting parentheses.

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "safety/shell_ast.h"

namespace omk::shell::detail {

struct Failure {
  size_t offset;
  std::string message;
};

struct Token {
  enum class Kind { kWord, kOperator, kNewline, kIoNumber, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;  // operator text or descriptor number
  Word word;
  bool array = false;  // NAME=( ... ) assignment
  std::vector<Word> array_values;
  size_t begin = 0;
  size_t end = 0;

  bool is_op(std::string_view op) const { return kind == Kind::kOperator && text == op; }
  // The word as a reserved word would be spelled: one unquoted literal part, else "".
  std::string_view plain() const;
};

struct Terminators {
  std::vector<std::string_view> words;      // reserved words that end the list
  std::vector<std::string_view> operators;  // operators that end the list
};

class Parser {
 public:
  Parser(std::string_view source, size_t base, size_t depth, const ParseLimits& limits);
  ListPtr parse_all();

 private:
  friend class DepthGuard;

  // --- lexer (shell_lexer.cc) ---
  Token next_token();
  void skip_blanks_and_comments();
  bool at_line_continuation() const;
  Word scan_word(size_t start);
  void scan_unquoted(Word& word, size_t& literal_start);
  void scan_single_quoted(Word& word);
  void scan_ansi_c_quoted(Word& word);
  void scan_double_quoted(Word& word, bool heredoc_mode, size_t stop);
  void scan_dollar(Word& word, bool quoted);
  void scan_braced_parameter(Word& word, bool quoted);
  void scan_backquote(Word& word, bool quoted);
  void scan_arithmetic(Word& word, bool quoted, size_t open);
  ListPtr scan_nested_list(size_t open);
  void scan_array_values(Token& token);
  void read_pending_heredocs();
  Word expand_heredoc_body(const std::string& body, size_t base);
  ListPtr parse_substring(std::string_view text, size_t base);

  // --- grammar (shell_parser.cc) ---
  const Token& peek();
  Token take();
  void expect_operator(std::string_view op, std::string_view context);
  void expect_word(std::string_view word, std::string_view context);
  void skip_newlines();
  bool is_terminator(const Token& token, const Terminators& terminators);
  ListPtr parse_list(const Terminators& terminators, bool allow_empty);
  AndOr parse_and_or();
  Pipeline parse_pipeline();
  Command parse_command();
  Command parse_simple();
  bool parse_redirect_if_present(std::vector<Redirect>& redirects);
  void parse_trailing_redirects(Command& command);
  Command parse_if();
  Command parse_loop();
  Command parse_for();
  Command parse_case();
  Command parse_function(bool keyword);
  Command parse_conditional();
  Command parse_arithmetic_command();
  bool function_parens_follow();
  [[noreturn]] void fail(size_t offset, std::string message) const;

  struct PendingHeredoc {
    std::string delimiter;
    bool strip_tabs = false;
    bool quoted = false;
    std::shared_ptr<Heredoc> target;
  };

  std::string_view src_;
  size_t pos_ = 0;
  size_t base_ = 0;  // offset of src_ within the outermost source, for messages
  size_t depth_ = 0;
  ParseLimits limits_;
  std::vector<PendingHeredoc> pending_heredocs_;
  std::optional<Token> peeked_;
};

// Counts nesting and fails beyond the limit instead of exhausting the stack.
class DepthGuard {
 public:
  DepthGuard(Parser& parser, size_t offset);
  ~DepthGuard();
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  Parser& parser_;
};

bool is_name(std::string_view text);

// A token as error messages show it: 'fi', end of input ...
std::string describe(const Token& token);

// Character classes and word building shared by the lexer files.
inline bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

inline bool is_meta(char c) {
  switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case ';':
    case '&':
    case '|':
    case '<':
    case '>':
    case '(':
    case ')':
      return true;
    default:
      return false;
  }
}

inline bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}

inline bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

inline bool is_special_parameter(char c) {
  return c == '@' || c == '*' || c == '#' || c == '?' || c == '$' || c == '!' || c == '-' ||
         c == '0';
}

inline void append_literal(Word& word, std::string_view text, bool quoted) {
  if (!word.parts.empty() && word.parts.back().kind == WordPart::Kind::kLiteral &&
      word.parts.back().quoted == quoted) {
    word.parts.back().text.append(text);
    return;
  }
  WordPart part;
  part.kind = WordPart::Kind::kLiteral;
  part.text = std::string(text);
  part.quoted = quoted;
  word.parts.push_back(std::move(part));
}

}  // namespace omk::shell::detail
