// The grammar: lists, and-or chains, pipelines, simple and compound commands, functions.

#include <algorithm>

#include "safety/shell_parser_impl.h"

namespace omk::shell {
namespace detail {
namespace {

bool is_redirect_operator(std::string_view op) {
  return op == ">" || op == ">>" || op == "<" || op == "<>" || op == ">|" || op == "&>" ||
         op == "&>>" || op == ">&" || op == "<&" || op == "<<" || op == "<<-" || op == "<<<";
}

bool contains(const std::vector<std::string_view>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// NAME=value or NAME+=value where NAME is written plainly (no quotes, no expansion).
bool split_assignment(const Word& word, Assignment& out) {
  if (word.parts.empty()) return false;
  const WordPart& first = word.parts.front();
  if (first.kind != WordPart::Kind::kLiteral || first.quoted) return false;
  size_t eq = first.text.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  std::string_view name = std::string_view(first.text).substr(0, eq);
  bool append = false;
  if (name.back() == '+') {
    append = true;
    name.remove_suffix(1);
  }
  if (!is_name(name)) return false;
  out.name = std::string(name);
  out.append = append;
  out.value = word;
  out.value.raw = word.raw.substr(std::min(word.raw.size(), eq + 1));
  std::string rest = first.text.substr(eq + 1);
  if (rest.empty()) {
    out.value.parts.erase(out.value.parts.begin());
  } else {
    out.value.parts.front().text = rest;
  }
  return true;
}

bool is_declaration_builtin(const std::vector<Word>& words) {
  if (words.empty()) return false;
  const std::string& name = words.front().raw;
  return name == "declare" || name == "local" || name == "typeset" || name == "export" ||
         name == "readonly";
}

}  // namespace

std::string describe(const Token& token) {
  switch (token.kind) {
    case Token::Kind::kEnd:
      return "end of input";
    case Token::Kind::kNewline:
      return "end of line";
    case Token::Kind::kOperator:
    case Token::Kind::kIoNumber:
      return "'" + token.text + "'";
    case Token::Kind::kWord:
      return "'" + token.word.raw + "'";
  }
  return "input";
}

Parser::Parser(std::string_view source, size_t base, size_t depth, const ParseLimits& limits)
    : src_(source), base_(base), depth_(depth), limits_(limits) {}

void Parser::fail(size_t offset, std::string message) const {
  throw Failure{base_ + offset, std::move(message)};
}

const Token& Parser::peek() {
  if (!peeked_) peeked_ = next_token();
  return *peeked_;
}

Token Parser::take() {
  peek();
  Token token = std::move(*peeked_);
  peeked_.reset();
  return token;
}

void Parser::expect_operator(std::string_view op, std::string_view context) {
  const Token& token = peek();
  if (!token.is_op(op)) {
    fail(token.begin, "expected '" + std::string(op) + "' " + std::string(context) + ", found " +
                          describe(token));
  }
  take();
}

void Parser::expect_word(std::string_view word, std::string_view context) {
  const Token& token = peek();
  if (token.plain() != word) {
    fail(token.begin, "expected '" + std::string(word) + "' " + std::string(context) + ", found " +
                          describe(token));
  }
  take();
}

void Parser::skip_newlines() {
  while (peek().kind == Token::Kind::kNewline) take();
}

bool Parser::is_terminator(const Token& token, const Terminators& terminators) {
  if (token.kind == Token::Kind::kWord) {
    std::string_view plain = token.plain();
    return !plain.empty() && contains(terminators.words, plain);
  }
  return token.kind == Token::Kind::kOperator && contains(terminators.operators, token.text);
}

ListPtr Parser::parse_all() {
  ListPtr list = parse_list({}, true);
  const Token& token = peek();
  if (token.kind != Token::Kind::kEnd) fail(token.begin, "unexpected " + describe(token));
  return list;
}

ListPtr Parser::parse_list(const Terminators& terminators, bool allow_empty) {
  DepthGuard guard(*this, pos_);
  auto list = std::make_shared<List>();
  skip_newlines();
  while (true) {
    const Token& token = peek();
    if (token.kind == Token::Kind::kEnd || is_terminator(token, terminators)) break;
    AndOr item = parse_and_or();
    const Token& separator = peek();
    if (separator.is_op(";") || separator.is_op("&")) {
      item.background = separator.text == "&";
      take();
    } else if (separator.kind == Token::Kind::kNewline) {
      take();
    } else if (separator.kind != Token::Kind::kEnd && !is_terminator(separator, terminators)) {
      fail(separator.begin, "unexpected " + describe(separator));
    }
    list->items.push_back(std::move(item));
    skip_newlines();
  }
  if (!allow_empty && list->items.empty()) {
    fail(peek().begin, "expected a command before " + describe(peek()));
  }
  return list;
}

AndOr Parser::parse_and_or() {
  AndOr item;
  item.pipelines.push_back(parse_pipeline());
  while (peek().is_op("&&") || peek().is_op("||")) {
    take();
    skip_newlines();
    item.pipelines.push_back(parse_pipeline());
  }
  return item;
}

Pipeline Parser::parse_pipeline() {
  Pipeline pipeline;
  while (peek().plain() == "!") {
    take();
    pipeline.negated = !pipeline.negated;
  }
  pipeline.commands.push_back(parse_command());
  while (peek().is_op("|") || peek().is_op("|&")) {
    take();
    skip_newlines();
    pipeline.commands.push_back(parse_command());
  }
  return pipeline;
}

Command Parser::parse_command() {
  DepthGuard guard(*this, pos_);
  const Token& token = peek();
  switch (token.kind) {
    case Token::Kind::kEnd:
    case Token::Kind::kNewline:
      fail(token.begin, "expected a command, found " + describe(token));
    case Token::Kind::kIoNumber:
      return parse_simple();
    case Token::Kind::kOperator: {
      if (token.is_op("(")) {
        take();
        Command command;
        command.kind = Command::Kind::kSubshell;
        command.bodies.push_back(parse_list({{}, {")"}}, false));
        expect_operator(")", "to close the subshell");
        parse_trailing_redirects(command);
        return command;
      }
      if (token.is_op("((")) return parse_arithmetic_command();
      if (is_redirect_operator(token.text)) return parse_simple();
      fail(token.begin, "unexpected " + describe(token));
    }
    case Token::Kind::kWord:
      break;
  }
  std::string_view word = token.plain();
  if (word == "{") {
    take();
    Command command;
    command.kind = Command::Kind::kGroup;
    command.bodies.push_back(parse_list({{"}"}, {}}, false));
    expect_word("}", "to close the group");
    parse_trailing_redirects(command);
    return command;
  }
  if (word == "if") return parse_if();
  if (word == "while" || word == "until") return parse_loop();
  if (word == "for" || word == "select") return parse_for();
  if (word == "case") return parse_case();
  if (word == "function") return parse_function(true);
  if (word == "[[") return parse_conditional();
  if (word == "then" || word == "else" || word == "elif" || word == "fi" || word == "do" ||
      word == "done" || word == "esac" || word == "}") {
    fail(token.begin, "unexpected '" + std::string(word) + "'");
  }
  if (!word.empty() && word.find('=') == std::string_view::npos && function_parens_follow()) {
    return parse_function(false);
  }
  return parse_simple();
}

Command Parser::parse_simple() {
  Command command;
  command.kind = Command::Kind::kSimple;
  size_t begin = peek().begin;
  size_t end = begin;
  while (true) {
    const Token& token = peek();
    if (token.kind == Token::Kind::kIoNumber ||
        (token.kind == Token::Kind::kOperator && is_redirect_operator(token.text))) {
      parse_redirect_if_present(command.simple.redirects);
      end = std::max(end, pos_);
      continue;
    }
    if (token.kind != Token::Kind::kWord) break;
    Token word = take();
    end = word.end;
    Assignment assignment;
    if (command.simple.words.empty() && split_assignment(word.word, assignment)) {
      assignment.is_array = word.array;
      assignment.array_values = std::move(word.array_values);
      command.simple.assignments.push_back(std::move(assignment));
      continue;
    }
    if (word.array && !is_declaration_builtin(command.simple.words)) {
      fail(word.begin, "array assignment where a command argument was expected");
    }
    command.simple.words.push_back(std::move(word.word));
    for (auto& value : word.array_values) command.simple.words.push_back(std::move(value));
  }
  if (command.simple.words.empty() && command.simple.assignments.empty() &&
      command.simple.redirects.empty()) {
    fail(peek().begin, "expected a command, found " + describe(peek()));
  }
  command.begin = base_ + begin;
  command.end = base_ + end;
  command.simple.text = std::string(src_.substr(begin, end - begin));
  return command;
}

bool Parser::parse_redirect_if_present(std::vector<Redirect>& redirects) {
  Redirect redirect;
  if (peek().kind == Token::Kind::kIoNumber) {
    redirect.fd = std::stoi(take().text);
  }
  const Token& op = peek();
  if (op.kind != Token::Kind::kOperator || !is_redirect_operator(op.text)) {
    if (redirect.fd >= 0) fail(op.begin, "expected a redirection after the descriptor number");
    return false;
  }
  redirect.op = take().text;
  const Token& target = peek();
  if (target.kind != Token::Kind::kWord) {
    fail(target.begin, "missing a target after '" + redirect.op + "', found " + describe(target));
  }
  redirect.target = take().word;
  if (redirect.op == "<<" || redirect.op == "<<-") {
    PendingHeredoc pending;
    pending.strip_tabs = redirect.op == "<<-";
    for (const auto& part : redirect.target.parts) {
      if (part.quoted) pending.quoted = true;
      pending.delimiter += part.kind == WordPart::Kind::kLiteral ? part.text : "$" + part.text;
    }
    redirect.heredoc = std::make_shared<Heredoc>();
    pending.target = redirect.heredoc;
    pending_heredocs_.push_back(std::move(pending));
  }
  redirects.push_back(std::move(redirect));
  return true;
}

void Parser::parse_trailing_redirects(Command& command) {
  while (parse_redirect_if_present(command.redirects)) {
  }
}

}  // namespace detail

ParseResult parse(std::string_view source, const ParseLimits& limits) {
  ParseResult result;
  if (source.size() > limits.max_length) {
    result.error = ParseError{limits.max_length, "command is longer than " +
                                                     std::to_string(limits.max_length) + " bytes"};
    return result;
  }
  try {
    detail::Parser parser(source, 0, 0, limits);
    result.script = parser.parse_all();
  } catch (const detail::Failure& failure) {
    result.error = ParseError{failure.offset, failure.message};
  }
  return result;
}

}  // namespace omk::shell
