// Compound commands: if, while/until, for/select, case, functions, [[ ]] and (( )).

#include "safety/shell_parser_impl.h"

namespace omk::shell::detail {
namespace {

ListPtr single_command_list(Command command) {
  auto list = std::make_shared<List>();
  AndOr item;
  Pipeline pipeline;
  pipeline.commands.push_back(std::move(command));
  item.pipelines.push_back(std::move(pipeline));
  list->items.push_back(std::move(item));
  return list;
}

}  // namespace

Command Parser::parse_if() {
  take();
  Command command;
  command.kind = Command::Kind::kIf;
  command.bodies.push_back(parse_list({{"then"}, {}}, false));
  expect_word("then", "after the 'if' condition");
  command.bodies.push_back(parse_list({{"elif", "else", "fi"}, {}}, false));
  while (peek().plain() == "elif") {
    take();
    command.bodies.push_back(parse_list({{"then"}, {}}, false));
    expect_word("then", "after the 'elif' condition");
    command.bodies.push_back(parse_list({{"elif", "else", "fi"}, {}}, false));
  }
  if (peek().plain() == "else") {
    take();
    command.bodies.push_back(parse_list({{"fi"}, {}}, false));
  }
  expect_word("fi", "to close 'if'");
  parse_trailing_redirects(command);
  return command;
}

Command Parser::parse_loop() {
  std::string keyword(take().plain());
  Command command;
  command.kind = Command::Kind::kLoop;
  command.name = keyword;
  command.bodies.push_back(parse_list({{"do"}, {}}, false));
  expect_word("do", "after the '" + keyword + "' condition");
  command.bodies.push_back(parse_list({{"done"}, {}}, false));
  expect_word("done", "to close '" + keyword + "'");
  parse_trailing_redirects(command);
  return command;
}

Command Parser::parse_for() {
  std::string keyword(take().plain());
  Command command;
  command.kind = Command::Kind::kFor;
  if (peek().is_op("((")) {
    size_t open = peek().begin;
    take();
    Word header;
    scan_arithmetic(header, false, open);
    command.words.push_back(std::move(header));
    command.has_word_list = true;
    command.name.clear();
  } else {
    const Token& name = peek();
    if (name.kind != Token::Kind::kWord || !is_name(name.plain())) {
      fail(name.begin, "'" + keyword + "' needs a variable name, found " + describe(name));
    }
    command.name = std::string(take().plain());
    skip_newlines();
    if (peek().plain() == "in") {
      take();
      command.has_word_list = true;
      while (peek().kind == Token::Kind::kWord) command.words.push_back(take().word);
    }
  }
  if (peek().is_op(";")) take();
  skip_newlines();
  if (peek().plain() == "{") {
    take();
    command.bodies.push_back(parse_list({{"}"}, {}}, false));
    expect_word("}", "to close the loop body");
  } else {
    expect_word("do", "to start the '" + keyword + "' body");
    command.bodies.push_back(parse_list({{"done"}, {}}, false));
    expect_word("done", "to close '" + keyword + "'");
  }
  parse_trailing_redirects(command);
  return command;
}

Command Parser::parse_case() {
  take();
  Command command;
  command.kind = Command::Kind::kCase;
  const Token& subject = peek();
  if (subject.kind != Token::Kind::kWord) {
    fail(subject.begin, "'case' needs a word, found " + describe(subject));
  }
  command.words.push_back(take().word);
  skip_newlines();
  expect_word("in", "after the 'case' word");
  skip_newlines();
  while (true) {
    if (peek().plain() == "esac") {
      take();
      break;
    }
    if (peek().is_op("(")) take();
    while (true) {
      const Token& pattern = peek();
      if (pattern.kind != Token::Kind::kWord) {
        fail(pattern.begin, "expected a case pattern, found " + describe(pattern));
      }
      command.words.push_back(take().word);
      if (peek().is_op("|")) {
        take();
        continue;
      }
      expect_operator(")", "after the case pattern");
      break;
    }
    command.bodies.push_back(parse_list({{"esac"}, {";;", ";&", ";;&"}}, true));
    const Token& end = peek();
    if (end.is_op(";;") || end.is_op(";&") || end.is_op(";;&")) {
      take();
      skip_newlines();
      continue;
    }
    expect_word("esac", "to close 'case'");
    break;
  }
  parse_trailing_redirects(command);
  return command;
}

bool Parser::function_parens_follow() {
  size_t i = pos_;
  while (i < src_.size() && (src_[i] == ' ' || src_[i] == '\t')) ++i;
  if (i >= src_.size() || src_[i] != '(') return false;
  ++i;
  while (i < src_.size() && (src_[i] == ' ' || src_[i] == '\t')) ++i;
  return i < src_.size() && src_[i] == ')';
}

Command Parser::parse_function(bool keyword) {
  if (keyword) take();
  const Token& name = peek();
  if (name.kind != Token::Kind::kWord || name.plain().empty()) {
    fail(name.begin, "a function needs a plain name, found " + describe(name));
  }
  Command command;
  command.kind = Command::Kind::kFunctionDef;
  command.name = std::string(take().plain());
  if (!keyword || peek().is_op("(")) {
    expect_operator("(", "after the function name");
    expect_operator(")", "after the function name");
  }
  skip_newlines();
  Command body = parse_command();
  if (body.kind == Command::Kind::kSimple || body.kind == Command::Kind::kFunctionDef) {
    fail(pos_, "the body of function '" + command.name + "' must be a compound command");
  }
  command.bodies.push_back(single_command_list(std::move(body)));
  return command;
}

Command Parser::parse_conditional() {
  size_t open = peek().begin;
  take();
  Command command;
  command.kind = Command::Kind::kConditional;
  while (true) {
    const Token& token = peek();
    if (token.kind == Token::Kind::kEnd) fail(open, "missing ']]' to close '[['");
    if (token.plain() == "]]") {
      take();
      break;
    }
    Token taken = take();
    if (taken.kind == Token::Kind::kWord) command.words.push_back(std::move(taken.word));
  }
  parse_trailing_redirects(command);
  return command;
}

Command Parser::parse_arithmetic_command() {
  size_t open = peek().begin;
  take();
  Command command;
  command.kind = Command::Kind::kArithmetic;
  Word word;
  scan_arithmetic(word, false, open);
  command.words.push_back(std::move(word));
  parse_trailing_redirects(command);
  return command;
}

}  // namespace omk::shell::detail
