#include "safety/shell_ast.h"

#include <gtest/gtest.h>

namespace omk::shell {
namespace {

const SimpleCommand& first_simple(const ListPtr& list) {
  return list->items.at(0).pipelines.at(0).commands.at(0).simple;
}

std::string literal_text(const Word& word) {
  std::string text;
  for (const auto& part : word.parts) text += part.text;
  return text;
}

ListPtr parse_ok(std::string_view source) {
  ParseResult result = parse(source);
  EXPECT_FALSE(result.error) << source << ": " << result.error->message;
  return result.script;
}

TEST(ShellParser, QuotesAndEscapesAreRemoved) {
  auto list = parse_ok(R"(r""m -'r'f "/" \x $'\x72\x6d' $"a b")");
  const auto& words = first_simple(list).words;
  ASSERT_EQ(words.size(), 6u);
  EXPECT_EQ(literal_text(words[0]), "rm");
  EXPECT_EQ(literal_text(words[1]), "-rf");
  EXPECT_EQ(literal_text(words[2]), "/");
  EXPECT_EQ(literal_text(words[3]), "x");
  EXPECT_EQ(literal_text(words[4]), "rm");
  EXPECT_EQ(literal_text(words[5]), "a b");
}

TEST(ShellParser, SeparatorsMakeSeparateCommands) {
  auto list = parse_ok("a; b && c || d & e\nf | g |& h");
  ASSERT_EQ(list->items.size(), 4u);
  EXPECT_EQ(list->items[1].pipelines.size(), 3u);
  EXPECT_TRUE(list->items[1].background);
  EXPECT_EQ(list->items[3].pipelines[0].commands.size(), 3u);
}

TEST(ShellParser, SubstitutionsAreParsedRecursively) {
  auto list = parse_ok("echo $(rm -rf /) `id` <(curl x) ${A:-$(whoami)} $((1 + $(date +%s)))");
  const auto& words = first_simple(list).words;
  ASSERT_EQ(words.size(), 6u);
  EXPECT_EQ(words[1].parts[0].kind, WordPart::Kind::kCommandSub);
  EXPECT_EQ(first_simple(words[1].parts[0].script).text, "rm -rf /");
  EXPECT_EQ(words[2].parts[0].kind, WordPart::Kind::kCommandSub);
  EXPECT_EQ(words[3].parts[0].kind, WordPart::Kind::kProcessSub);
  ASSERT_TRUE(words[4].parts[0].operand);
  EXPECT_EQ(words[4].parts[0].operand->parts[0].kind, WordPart::Kind::kCommandSub);
  ASSERT_TRUE(words[5].parts[0].script);
  EXPECT_EQ(first_simple(words[5].parts[0].script).text, "date +%s");
}

TEST(ShellParser, RedirectionsAndHereDocuments) {
  auto list = parse_ok("cat <<EOF >out 2>&1 <<<'x'\nline $(id)\nEOF\necho after");
  const auto& simple = first_simple(list);
  ASSERT_EQ(simple.redirects.size(), 4u);
  ASSERT_TRUE(simple.redirects[0].heredoc);
  EXPECT_EQ(simple.redirects[0].heredoc->body, "line $(id)\n");
  ASSERT_TRUE(simple.redirects[0].heredoc->expanded);
  EXPECT_EQ(simple.redirects[2].fd, 2);
  EXPECT_EQ(simple.redirects[2].op, ">&");
  EXPECT_EQ(simple.redirects[3].op, "<<<");
  EXPECT_EQ(list->items.size(), 2u);
  auto quoted = parse_ok("cat <<'EOF'\n$(id)\nEOF");
  EXPECT_FALSE(first_simple(quoted).redirects[0].heredoc->expanded);
}

TEST(ShellParser, AssignmentsBeforeCommands) {
  auto list = parse_ok("A=1 B=\"x y\" C=(a b) env");
  const auto& simple = first_simple(list);
  ASSERT_EQ(simple.assignments.size(), 3u);
  EXPECT_EQ(simple.assignments[1].name, "B");
  EXPECT_EQ(literal_text(simple.assignments[1].value), "x y");
  EXPECT_TRUE(simple.assignments[2].is_array);
  EXPECT_EQ(simple.words.size(), 1u);
}

TEST(ShellParser, CompoundCommandsAndFunctions) {
  auto list = parse_ok(
      "if a; then b; elif c; then d; else e; fi; while x; do y; done; for i in 1 2; do z; done;"
      " case $v in a|b) p;; *) q;; esac; (s); { t; }; f() { u; }; [[ -n $(w) ]]; (( n++ ))");
  std::vector<Command::Kind> kinds;
  for (const auto& item : list->items) kinds.push_back(item.pipelines[0].commands[0].kind);
  EXPECT_EQ(kinds,
            (std::vector<Command::Kind>{
                Command::Kind::kIf, Command::Kind::kLoop, Command::Kind::kFor, Command::Kind::kCase,
                Command::Kind::kSubshell, Command::Kind::kGroup, Command::Kind::kFunctionDef,
                Command::Kind::kConditional, Command::Kind::kArithmetic}));
}

TEST(ShellParser, LineContinuationsAndComments) {
  auto list = parse_ok("rm \\\n  -rf \\\n  / # a comment\n# another");
  EXPECT_EQ(first_simple(list).words.size(), 3u);
  EXPECT_EQ(list->items.size(), 1u);
}

TEST(ShellParser, RefusesWhatIsNotComplete) {
  for (std::string_view bad :
       {"echo \"open", "echo 'open",    "echo $(open",    "echo `open", "if a; then b",
        "for x in a",  "while a; do b", "case x in a) b", "( a",        "{ a;",
        "a |",         "a &&",          "echo ${x",       ")",          "then echo",
        "; a",         "a ;; b",        "cat <",          "f() echo",   "echo $'open"}) {
    ParseResult result = parse(bad);
    EXPECT_TRUE(result.error) << bad;
  }
}

TEST(ShellParser, NestingBeyondTheLimitIsAnError) {
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "$(";
  deep += "x";
  for (int i = 0; i < 200; ++i) deep += ")";
  ParseResult result = parse(deep);
  ASSERT_TRUE(result.error);
  EXPECT_NE(result.error->message.find("nested"), std::string::npos);
  std::string subshells;
  for (int i = 0; i < 500; ++i) subshells += "( ";
  EXPECT_TRUE(parse(subshells + "x" + std::string(500, ')')).error);
}

TEST(ShellParser, OverlongInputIsAnError) {
  ParseLimits limits;
  limits.max_length = 16;
  EXPECT_TRUE(parse(std::string(17, 'a'), limits).error);
}

}  // namespace
}  // namespace omk::shell
