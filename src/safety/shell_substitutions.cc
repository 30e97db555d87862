// Expansions inside words: $name and ${...}, $( ... ) and `...` (parsed recursively),
// $(( ... )), and the nested parses they need.

#include <array>
#include <cctype>

#include "safety/shell_parser_impl.h"

namespace omk::shell::detail {
namespace {

// Every script reachable from a word: substitutions, and those inside ${x:-...} operands.
void harvest_scripts(const Word& word, std::vector<ListPtr>& out) {
  for (const auto& part : word.parts) {
    if (part.script) out.push_back(part.script);
    if (part.operand) harvest_scripts(*part.operand, out);
  }
}

ListPtr merge_lists(const std::vector<ListPtr>& lists) {
  auto merged = std::make_shared<List>();
  for (const auto& list : lists) {
    merged->items.insert(merged->items.end(), list->items.begin(), list->items.end());
  }
  return merged;
}

}  // namespace

void Parser::scan_dollar(Word& word, bool quoted) {
  char next = pos_ + 1 < src_.size() ? src_[pos_ + 1] : '\0';
  if (next == '(') {
    if (pos_ + 2 < src_.size() && src_[pos_ + 2] == '(') {
      size_t saved = pos_;
      auto saved_heredocs = pending_heredocs_;
      try {
        pos_ += 3;
        scan_arithmetic(word, quoted, saved);
        return;
      } catch (const Failure&) {
        // Not arithmetic after all: "$( (subshell) )" written without the space.
        pos_ = saved;
        pending_heredocs_ = std::move(saved_heredocs);
        peeked_.reset();
      }
    }
    size_t open = pos_ + 1;
    pos_ += 2;
    WordPart part;
    part.kind = WordPart::Kind::kCommandSub;
    part.quoted = quoted;
    part.script = scan_nested_list(open);
    word.parts.push_back(std::move(part));
    return;
  }
  if (next == '{') {
    scan_braced_parameter(word, quoted);
    return;
  }
  WordPart part;
  part.kind = WordPart::Kind::kParameter;
  part.quoted = quoted;
  if (is_name_start(next)) {
    size_t end = pos_ + 1;
    while (end < src_.size() && is_name_char(src_[end])) ++end;
    part.text = std::string(src_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end;
  } else if (std::isdigit(static_cast<unsigned char>(next)) || is_special_parameter(next)) {
    part.text = std::string(1, next);
    pos_ += 2;
  } else {
    append_literal(word, "$", quoted);
    ++pos_;
    return;
  }
  word.parts.push_back(std::move(part));
}

void Parser::scan_braced_parameter(Word& word, bool quoted) {
  size_t open = pos_;
  pos_ += 2;
  WordPart part;
  part.kind = WordPart::Kind::kParameter;
  part.quoted = quoted;
  auto at = [&](size_t i) { return i < src_.size() ? src_[i] : '\0'; };
  if ((at(pos_) == '#' || at(pos_) == '!') && at(pos_ + 1) != '}') {
    part.parameter_op = at(pos_) == '#' ? "length" : "indirect";
    ++pos_;
  }
  if (is_name_start(at(pos_))) {
    size_t end = pos_;
    while (end < src_.size() && is_name_char(src_[end])) ++end;
    part.text = std::string(src_.substr(pos_, end - pos_));
    pos_ = end;
  } else if (std::isdigit(static_cast<unsigned char>(at(pos_)))) {
    size_t end = pos_;
    while (end < src_.size() && std::isdigit(static_cast<unsigned char>(src_[end]))) ++end;
    part.text = std::string(src_.substr(pos_, end - pos_));
    pos_ = end;
  } else if (is_special_parameter(at(pos_))) {
    part.text = std::string(1, at(pos_));
    ++pos_;
  } else {
    fail(open, "bad ${...} substitution");
  }
  if (at(pos_) != '}') {
    static constexpr std::array<std::string_view, 23> kOps = {
        ":-", ":=", ":?", ":+", "##", "%%", "//", "/#", "/%", "^^", ",,", "-",
        "=",  "?",  "+",  "#",  "%",  "/",  "^",  ",",  "@",  ":",  "["};
    for (std::string_view op : kOps) {
      if (src_.substr(pos_, op.size()) == op) {
        if (part.parameter_op.empty()) part.parameter_op = std::string(op);
        pos_ += op.size();
        break;
      }
    }
    // The operand: a word that ends at the matching unquoted '}'.
    auto operand = std::make_shared<Word>();
    operand->begin = base_ + pos_;
    size_t operand_start = pos_;
    int braces = 0;
    while (true) {
      if (pos_ >= src_.size()) fail(open, "unterminated ${...} substitution");
      char c = src_[pos_];
      if (c == '}' && braces == 0) break;
      if (c == '{') ++braces;
      if (c == '}') --braces;
      if (c == '\\' && pos_ + 1 < src_.size()) {
        if (src_[pos_ + 1] != '\n') append_literal(*operand, src_.substr(pos_ + 1, 1), true);
        pos_ += 2;
      } else if (c == '\'' && !quoted) {
        scan_single_quoted(*operand);
      } else if (c == '"') {
        ++pos_;
        scan_double_quoted(*operand, false, src_.size());
      } else if (c == '$') {
        scan_dollar(*operand, quoted);
      } else if (c == '`') {
        scan_backquote(*operand, quoted);
      } else {
        append_literal(*operand, src_.substr(pos_, 1), quoted);
        ++pos_;
      }
    }
    operand->end = base_ + pos_;
    operand->raw = std::string(src_.substr(operand_start, pos_ - operand_start));
    part.operand = std::move(operand);
  }
  ++pos_;  // '}'
  word.parts.push_back(std::move(part));
}

void Parser::scan_backquote(Word& word, bool quoted) {
  size_t open = pos_;
  std::string content;
  ++pos_;
  while (true) {
    if (pos_ >= src_.size()) fail(open, "unterminated backquote");
    char c = src_[pos_];
    if (c == '`') {
      ++pos_;
      break;
    }
    if (c == '\\' && pos_ + 1 < src_.size()) {
      char next = src_[pos_ + 1];
      if (next == '$' || next == '`' || next == '\\' || (quoted && next == '"')) {
        content += next;
      } else if (next != '\n') {
        content += c;
        content += next;
      }
      pos_ += 2;
      continue;
    }
    content += c;
    ++pos_;
  }
  WordPart part;
  part.kind = WordPart::Kind::kCommandSub;
  part.quoted = quoted;
  part.script = parse_substring(content, base_ + open + 1);
  word.parts.push_back(std::move(part));
}

void Parser::scan_arithmetic(Word& word, bool quoted, size_t open) {
  DepthGuard guard(*this, open);
  std::vector<ListPtr> scripts;
  int depth = 0;
  while (true) {
    if (pos_ >= src_.size()) fail(open, "unterminated arithmetic expression");
    char c = src_[pos_];
    char next = pos_ + 1 < src_.size() ? src_[pos_ + 1] : '\0';
    if (c == '(') {
      ++depth;
      ++pos_;
    } else if (c == ')') {
      if (depth == 0) {
        if (next != ')') fail(pos_, "arithmetic expression not closed with '))'");
        pos_ += 2;
        break;
      }
      --depth;
      ++pos_;
    } else if (c == '$' || c == '`') {
      Word inner;
      if (c == '$') {
        scan_dollar(inner, true);
      } else {
        scan_backquote(inner, true);
      }
      harvest_scripts(inner, scripts);
    } else if (c == '\'' || c == '"') {
      size_t close = src_.find(c, pos_ + 1);
      if (close == std::string_view::npos) fail(pos_, "unterminated quote in arithmetic");
      pos_ = close + 1;
    } else if (at_line_continuation()) {
      pos_ += 2;
    } else {
      ++pos_;
    }
  }
  WordPart part;
  part.kind = WordPart::Kind::kArithmetic;
  part.quoted = quoted;
  if (!scripts.empty()) part.script = merge_lists(scripts);
  word.parts.push_back(std::move(part));
}

ListPtr Parser::scan_nested_list(size_t open) {
  DepthGuard guard(*this, open);
  // Called from inside next_token(): whatever was buffered belongs to the outer level.
  std::optional<Token> outer = std::move(peeked_);
  peeked_.reset();
  ListPtr list = parse_list({{}, {")"}}, true);
  const Token& close = peek();
  if (!close.is_op(")")) fail(open, "missing ')' to close the substitution opened here");
  peeked_.reset();
  peeked_ = std::move(outer);
  return list;
}

ListPtr Parser::parse_substring(std::string_view text, size_t base) {
  DepthGuard guard(*this, base - base_);
  Parser sub(text, base, depth_, limits_);
  return sub.parse_all();
}

}  // namespace omk::shell::detail
