// Token and word scanning for the shell parser: quoting, escapes, every kind of expansion and
// here-documents. Substitutions are parsed here, recursively, so the guard sees what they run.

#include <algorithm>
#include <array>
#include <cctype>

#include "safety/shell_parser_impl.h"

namespace omk::shell::detail {
namespace {

// Longest first, so that "&&" wins over "&".
constexpr std::array<std::string_view, 24> kOperators = {
    ";;&", "&>>", "<<<", "<<-", ";;", ";&", "&&", "&>", "||", "|&", "<<", "<>",
    "<&",  ">>",  ">&",  ">|",  "((", ";",  "&",  "|",  "<",  ">",  "(",  ")"};

void append_utf8(std::string& out, uint32_t code) {
  if (code == 0) return;  // bash stops at NUL; dropping it keeps names comparable
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x110000) {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Reads up to `max_digits` digits of `base` at text[i]; returns the value and advances i.
uint32_t read_number(std::string_view text, size_t& i, int base, size_t max_digits) {
  uint32_t value = 0;
  size_t count = 0;
  while (i < text.size() && count < max_digits) {
    char c = text[i];
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (base == 16 && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (base == 16 && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0 || digit >= base) break;
    value = value * static_cast<uint32_t>(base) + static_cast<uint32_t>(digit);
    ++i;
    ++count;
  }
  return value;
}

}  // namespace

std::string_view Token::plain() const {
  if (kind != Kind::kWord || word.parts.size() != 1) return {};
  const WordPart& part = word.parts.front();
  if (part.kind != WordPart::Kind::kLiteral || part.quoted) return {};
  return part.text;
}

bool is_name(std::string_view text) {
  if (text.empty() || !is_name_start(text.front())) return false;
  for (char c : text) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

bool Parser::at_line_continuation() const {
  return pos_ + 1 < src_.size() && src_[pos_] == '\\' && src_[pos_ + 1] == '\n';
}

void Parser::skip_blanks_and_comments() {
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    if (is_blank(c)) {
      ++pos_;
    } else if (at_line_continuation()) {
      pos_ += 2;
    } else if (c == '#') {
      while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
    } else {
      break;
    }
  }
}

Token Parser::next_token() {
  skip_blanks_and_comments();
  Token token;
  token.begin = pos_;
  if (pos_ >= src_.size()) {
    token.kind = Token::Kind::kEnd;
    token.end = pos_;
    return token;
  }
  char c = src_[pos_];
  if (c == '\n') {
    ++pos_;
    token.kind = Token::Kind::kNewline;
    token.end = pos_;
    read_pending_heredocs();
    return token;
  }
  bool process_substitution =
      (c == '<' || c == '>') && pos_ + 1 < src_.size() && src_[pos_ + 1] == '(';
  if (is_meta(c) && !process_substitution) {
    for (std::string_view op : kOperators) {
      if (src_.substr(pos_, op.size()) == op) {
        token.kind = Token::Kind::kOperator;
        token.text = std::string(op);
        pos_ += op.size();
        token.end = pos_;
        return token;
      }
    }
    fail(pos_, "unexpected character");
  }
  token.kind = Token::Kind::kWord;
  token.word = scan_word(pos_);
  token.end = pos_;
  const std::string& raw = token.word.raw;
  bool digits = !raw.empty() && raw.size() <= 9 &&
                std::all_of(raw.begin(), raw.end(), [](char d) { return d >= '0' && d <= '9'; });
  if (digits && pos_ < src_.size() && (src_[pos_] == '<' || src_[pos_] == '>')) {
    token.kind = Token::Kind::kIoNumber;
    token.text = raw;
    return token;
  }
  if (pos_ < src_.size() && src_[pos_] == '(') {
    std::string_view plain = token.plain();
    size_t eq = plain.find('=');
    if (eq != std::string_view::npos && eq + 1 == plain.size()) {
      std::string_view name = plain.substr(0, eq);
      if (!name.empty() && name.back() == '+') name.remove_suffix(1);
      if (is_name(name)) scan_array_values(token);
    }
  }
  return token;
}

Word Parser::scan_word(size_t start) {
  Word word;
  word.begin = base_ + start;
  size_t literal_start = start;
  scan_unquoted(word, literal_start);
  word.end = base_ + pos_;
  word.raw = std::string(src_.substr(start, pos_ - start));
  return word;
}

void Parser::scan_unquoted(Word& word, size_t& start) {
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    char next = pos_ + 1 < src_.size() ? src_[pos_ + 1] : '\0';
    if (is_meta(c)) {
      if ((c == '<' || c == '>') && pos_ == start && next == '(') {
        size_t open = pos_ + 1;
        pos_ += 2;
        WordPart part;
        part.kind = WordPart::Kind::kProcessSub;
        part.direction = c;
        part.script = scan_nested_list(open);
        word.parts.push_back(std::move(part));
        continue;
      }
      return;
    }
    switch (c) {
      case '\\':
        if (next == '\n') {
          pos_ += 2;
        } else if (pos_ + 1 < src_.size()) {
          append_literal(word, src_.substr(pos_ + 1, 1), true);
          pos_ += 2;
        } else {
          append_literal(word, "\\", false);
          ++pos_;
        }
        break;
      case '\'':
        scan_single_quoted(word);
        break;
      case '"':
        ++pos_;
        scan_double_quoted(word, false, src_.size());
        break;
      case '$':
        if (next == '\'') {
          scan_ansi_c_quoted(word);
        } else if (next == '"') {
          ++pos_;  // $"..." is a translatable string: the same as "..." here
          ++pos_;
          scan_double_quoted(word, false, src_.size());
        } else {
          scan_dollar(word, false);
        }
        break;
      case '`':
        scan_backquote(word, false);
        break;
      case '~': {
        bool at_start = pos_ == start;
        bool after_assignment = false;
        if (word.parts.size() == 1 && !word.parts[0].quoted &&
            word.parts[0].kind == WordPart::Kind::kLiteral) {
          const std::string& text = word.parts[0].text;
          after_assignment = !text.empty() && text.back() == '=' &&
                             is_name(std::string_view(text).substr(0, text.size() - 1));
        }
        if (!at_start && !after_assignment) {
          append_literal(word, "~", false);
          ++pos_;
          break;
        }
        size_t end = pos_ + 1;
        while (end < src_.size() &&
               (is_name_char(src_[end]) || src_[end] == '.' || src_[end] == '-')) {
          ++end;
        }
        if (end < src_.size() && src_[end] != '/' && !is_meta(src_[end])) {
          append_literal(word, "~", false);
          ++pos_;
          break;
        }
        WordPart part;
        part.kind = WordPart::Kind::kTilde;
        part.text = std::string(src_.substr(pos_ + 1, end - pos_ - 1));
        word.parts.push_back(std::move(part));
        pos_ = end;
        break;
      }
      default:
        append_literal(word, src_.substr(pos_, 1), false);
        ++pos_;
        break;
    }
  }
}

void Parser::scan_single_quoted(Word& word) {
  size_t close = src_.find('\'', pos_ + 1);
  if (close == std::string_view::npos) fail(pos_, "unterminated single quote");
  std::string_view text = src_.substr(pos_ + 1, close - pos_ - 1);
  if (text.empty()) {
    WordPart part;
    part.quoted = true;
    word.parts.push_back(std::move(part));
  } else {
    append_literal(word, text, true);
  }
  pos_ = close + 1;
}

void Parser::scan_ansi_c_quoted(Word& word) {
  size_t open = pos_;
  pos_ += 2;
  std::string out;
  while (true) {
    if (pos_ >= src_.size()) fail(open, "unterminated $'...' string");
    char c = src_[pos_];
    if (c == '\'') {
      ++pos_;
      break;
    }
    if (c != '\\' || pos_ + 1 >= src_.size()) {
      out += c;
      ++pos_;
      continue;
    }
    char e = src_[pos_ + 1];
    pos_ += 2;
    switch (e) {
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'e':
      case 'E':
        out += '\x1b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
      case '\'':
      case '"':
      case '?':
        out += e;
        break;
      case 'x':
        append_utf8(out, read_number(src_, pos_, 16, 2));
        break;
      case 'u':
        append_utf8(out, read_number(src_, pos_, 16, 4));
        break;
      case 'U':
        append_utf8(out, read_number(src_, pos_, 16, 8));
        break;
      case 'c':
        if (pos_ < src_.size()) {
          append_utf8(out, static_cast<uint32_t>(src_[pos_]) & 0x1F);
          ++pos_;
        }
        break;
      default:
        if (e >= '0' && e <= '7') {
          --pos_;
          append_utf8(out, read_number(src_, pos_, 8, 3) & 0xFF);
        } else {
          out += '\\';
          out += e;
        }
    }
  }
  WordPart part;
  part.text = std::move(out);
  part.quoted = true;
  word.parts.push_back(std::move(part));
}

void Parser::scan_double_quoted(Word& word, bool heredoc_mode, size_t stop) {
  size_t open = pos_ == 0 ? 0 : pos_ - 1;
  size_t parts_before = word.parts.size();
  while (true) {
    if (pos_ >= stop) {
      if (heredoc_mode) break;
      fail(open, "unterminated double quote");
    }
    char c = src_[pos_];
    char next = pos_ + 1 < stop ? src_[pos_ + 1] : '\0';
    if (c == '"' && !heredoc_mode) {
      ++pos_;
      break;
    }
    if (c == '\\') {
      if (next == '\n') {
        pos_ += 2;
      } else if (next == '$' || next == '`' || next == '\\' || (next == '"' && !heredoc_mode)) {
        append_literal(word, src_.substr(pos_ + 1, 1), true);
        pos_ += 2;
      } else {
        append_literal(word, "\\", true);
        ++pos_;
      }
    } else if (c == '$' &&
               (next == '(' || next == '{' || is_name_start(next) ||
                std::isdigit(static_cast<unsigned char>(next)) || is_special_parameter(next))) {
      scan_dollar(word, true);
    } else if (c == '`') {
      scan_backquote(word, true);
    } else {
      append_literal(word, src_.substr(pos_, 1), true);
      ++pos_;
    }
  }
  if (word.parts.size() == parts_before) {
    WordPart part;
    part.quoted = true;
    word.parts.push_back(std::move(part));
  }
}

void Parser::scan_array_values(Token& token) {
  size_t open = pos_;
  ++pos_;
  token.array = true;
  while (true) {
    while (pos_ < src_.size() && (is_blank(src_[pos_]) || src_[pos_] == '\n')) ++pos_;
    if (pos_ < src_.size() && src_[pos_] == '#') {
      while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
      continue;
    }
    if (at_line_continuation()) {
      pos_ += 2;
      continue;
    }
    if (pos_ >= src_.size()) fail(open, "unterminated array assignment");
    if (src_[pos_] == ')') {
      ++pos_;
      break;
    }
    if (is_meta(src_[pos_])) fail(pos_, "unexpected character in array assignment");
    token.array_values.push_back(scan_word(pos_));
  }
}

void Parser::read_pending_heredocs() {
  auto pending = std::move(pending_heredocs_);
  pending_heredocs_.clear();
  for (auto& heredoc : pending) {
    std::string body;
    size_t body_start = pos_;
    bool found = false;
    while (pos_ < src_.size()) {
      size_t eol = src_.find('\n', pos_);
      size_t line_end = eol == std::string_view::npos ? src_.size() : eol;
      std::string_view line = src_.substr(pos_, line_end - pos_);
      pos_ = eol == std::string_view::npos ? src_.size() : eol + 1;
      if (heredoc.strip_tabs) {
        while (!line.empty() && line.front() == '\t') line.remove_prefix(1);
      }
      if (line == heredoc.delimiter) {
        found = true;
        break;
      }
      body.append(line);
      body += '\n';
    }
    heredoc.target->body = body;
    heredoc.target->complete = found;
    if (!heredoc.quoted) heredoc.target->expanded = expand_heredoc_body(body, base_ + body_start);
  }
}

Word Parser::expand_heredoc_body(const std::string& body, size_t base) {
  DepthGuard guard(*this, base - base_);
  Parser sub(body, base, depth_, limits_);
  Word word;
  word.begin = base;
  sub.scan_double_quoted(word, true, body.size());
  word.end = base + body.size();
  word.raw = body;
  return word;
}

DepthGuard::DepthGuard(Parser& parser, size_t offset) : parser_(parser) {
  if (++parser_.depth_ > parser_.limits_.max_depth) {
    --parser_.depth_;
    parser_.fail(offset,
                 "nested more than " + std::to_string(parser_.limits_.max_depth) + " levels deep");
  }
}

DepthGuard::~DepthGuard() {
  --parser_.depth_;
}

}  // namespace omk::shell::detail
