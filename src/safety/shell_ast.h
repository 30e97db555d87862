#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omk::shell {

// The syntax tree of a POSIX shell (bash-flavoured) command line, as far as the command guard
// needs it: what runs, with which words, redirections and substitutions. Connectors (&&, ||, ;)
// are not kept: the guard assumes every command in a line may run.

struct List;
using ListPtr = std::shared_ptr<const List>;

struct Word;

struct WordPart {
  enum class Kind {
    kLiteral,     // text after quote removal
    kParameter,   // $NAME, ${NAME...}, $1, $@ ...
    kCommandSub,  // $(...) or `...`
    kArithmetic,  // $(( ... )): a number nobody can predict statically
    kProcessSub,  // <(...) or >(...)
    kTilde,       // ~ or ~user at the start of a word
  };
  Kind kind = Kind::kLiteral;
  std::string text;  // literal text, parameter name, tilde user
  bool quoted = false;
  // ${NAME:-word} and friends: the operator ("-", ":-", "=", "#", "/", ...) and its operand.
  std::string parameter_op;
  std::shared_ptr<const Word> operand;
  ListPtr script;        // kCommandSub, kProcessSub, and substitutions inside kArithmetic
  char direction = '<';  // kProcessSub: '<' reads from it, '>' writes to it
};

struct Word {
  std::vector<WordPart> parts;
  size_t begin = 0;
  size_t end = 0;
  std::string raw;  // source text, for fragments and rule matching
};

// A here-document's body is read when the line ends, after the redirection was parsed, so the
// parser fills it in through this shared object.
struct Heredoc {
  std::string body;
  std::optional<Word> expanded;  // the body's expansions, when the delimiter was unquoted
  bool complete = false;         // the delimiter line was found (bash accepts EOF, with a warning)
};

struct Redirect {
  int fd = -1;                       // explicit descriptor number, -1 for the operator's default
  std::string op;                    // > >> < <> >| &> &>> >& <& << <<- <<<
  Word target;                       // file, descriptor, here-string word or here-doc delimiter
  std::shared_ptr<Heredoc> heredoc;  // << and <<- only
};

struct Assignment {
  std::string name;
  Word value;
  bool append = false;             // NAME+=value
  std::vector<Word> array_values;  // NAME=(a b c)
  bool is_array = false;
};

struct SimpleCommand {
  std::vector<Assignment> assignments;
  std::vector<Word> words;
  std::vector<Redirect> redirects;
  std::string text;  // the command's source text, for reasons shown to people
};

struct Command {
  enum class Kind {
    kSimple,
    kSubshell,     // ( list )
    kGroup,        // { list; }
    kIf,           // bodies: condition, branch, [condition, branch]..., [else branch]
    kLoop,         // while/until: bodies = condition, body
    kFor,          // for NAME in words; bodies = body (select is the same)
    kCase,         // words[0] = subject, words[1..] = patterns; bodies = one per item
    kFunctionDef,  // name, bodies = body (a compound command wrapped in a list)
    kArithmetic,   // (( ... )): words hold any substitutions found inside
    kConditional,  // [[ ... ]]: words inside
  };
  Kind kind = Kind::kSimple;
  SimpleCommand simple;
  std::vector<ListPtr> bodies;
  std::vector<Word> words;
  std::string name;
  bool has_word_list = false;  // for NAME in ... (false: iterates "$@")
  std::vector<Redirect> redirects;
  size_t begin = 0;
  size_t end = 0;
};

struct Pipeline {
  std::vector<Command> commands;
  bool negated = false;
};

struct AndOr {
  std::vector<Pipeline> pipelines;
  bool background = false;  // ended with &
};

struct List {
  std::vector<AndOr> items;
};

struct ParseError {
  size_t offset = 0;
  std::string message;
};

struct ParseResult {
  ListPtr script;  // set when parsing succeeded
  std::optional<ParseError> error;
};

// Limits that keep hostile input from exhausting the stack or the clock.
struct ParseLimits {
  size_t max_depth = 64;         // nested substitutions, subshells, compound commands
  size_t max_length = 1u << 20;  // bytes of input
};

// Parses `source` completely. Anything the parser cannot take apart with certainty (an
// unterminated quote, a missing `fi`, nesting beyond the limit) is an error, never a guess.
ParseResult parse(std::string_view source, const ParseLimits& limits = {});

}  // namespace omk::shell
