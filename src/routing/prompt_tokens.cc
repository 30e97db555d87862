#include "routing/prompt_tokens.h"

#include <cstddef>
#include <string_view>

namespace omk::routing {
namespace {

constexpr std::string_view kCoordinators[] = {"and", "then", "but", "also", "plus", "so", "or"};
constexpr std::string_view kSubordinators[] = {
    "if",     "when", "before", "after",   "because", "while",    "until",
    "unless", "once", "since",  "whether", "though",  "although", "whenever"};

template <size_t N>
bool contains(const std::string_view (&list)[N], std::string_view word) {
  for (std::string_view item : list) {
    if (item == word) return true;
  }
  return false;
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_letter(char c) {
  return c >= 'a' && c <= 'z';
}

// Characters that may continue a word-like run: "src/merge.ts", "v1.0", "don't", "--json".
bool is_run_char(char c) {
  return is_alnum(c) || c == '_' || c == '\'' || c == '-' || c == '.' || c == '/' || c == '~' ||
         c == '@' || c == '+' || c == '=' || c == '#';
}

bool is_boundary_char(char c) {
  return c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\n' || c == '\r' ||
         c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '|' ||
         c == '&';
}

PromptToken::Kind kind_of(std::string_view text) {
  bool letters_only = true;
  bool hyphen_between_letters = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (is_letter(c) || c == '\'') continue;
    if (c == '-' && i > 0 && i + 1 < text.size() && is_letter(text[i - 1]) &&
        is_letter(text[i + 1])) {
      hyphen_between_letters = true;
      continue;
    }
    letters_only = false;
  }
  if (!letters_only) return PromptToken::Kind::kIdent;
  return hyphen_between_letters ? PromptToken::Kind::kCompound : PromptToken::Kind::kWord;
}

class ClauseBuilder {
 public:
  void add(PromptToken token) {
    if (token.kind == PromptToken::Kind::kWord) {
      // "between rebase and merge", "both X and Y": a pair, not two clauses.
      bool pairs = token.text == "and" && pairing_;
      if (!pairs && contains(kCoordinators, token.text)) {
        finish(false, false);
        current_.after_coordinator = true;
        return;
      }
      if (contains(kSubordinators, token.text)) {
        finish(false, false);
        current_.subordinate = true;
        return;
      }
    }
    if (token.kind == PromptToken::Kind::kWord &&
        (token.text == "between" || token.text == "both")) {
      pairing_ = true;
    }
    current_.tokens.push_back(std::move(token));
  }

  // Ends the current clause; a clause without tokens keeps its flags for the next one only
  // when nothing separated them but a coordinator.
  void finish(bool sentence_end, bool question) {
    if (current_.tokens.empty()) {
      if (sentence_end || question) current_ = PromptClause{};
      if (!clauses_.empty()) {
        clauses_.back().ends_sentence = clauses_.back().ends_sentence || sentence_end;
        clauses_.back().ends_question = clauses_.back().ends_question || question;
      }
      return;
    }
    current_.ends_sentence = sentence_end || question;
    current_.ends_question = question;
    clauses_.push_back(std::move(current_));
    current_ = PromptClause{};
    pairing_ = false;
  }

  std::vector<PromptClause> take() {
    finish(true, false);
    return std::move(clauses_);
  }

 private:
  PromptClause current_;
  bool pairing_ = false;  // the current clause has "between" or "both"
  std::vector<PromptClause> clauses_;
};

}  // namespace

std::string lower_prompt(std::string_view prompt) {
  std::string out;
  out.reserve(prompt.size());
  for (size_t i = 0; i < prompt.size(); ++i) {
    char c = prompt[i];
    // U+2018/U+2019 (E2 80 98/99): typographic apostrophes in "don’t".
    if (c == '\xE2' && i + 2 < prompt.size() && prompt[i + 1] == '\x80' &&
        (prompt[i + 2] == '\x98' || prompt[i + 2] == '\x99')) {
      out.push_back('\'');
      i += 2;
      continue;
    }
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

std::vector<PromptClause> split_clauses(std::string_view text) {
  ClauseBuilder builder;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '`') {
      size_t fence = text.compare(i, 3, "```") == 0 ? 3 : 1;
      size_t start = i + fence;
      size_t end = text.find(std::string_view("```", fence), start);
      if (end == std::string_view::npos) end = text.size();
      std::string inner(text.substr(start, end - start));
      size_t first = inner.find_first_not_of(" \t\r\n");
      size_t last = inner.find_last_not_of(" \t\r\n");
      if (first != std::string::npos) {
        builder.add({PromptToken::Kind::kCode, inner.substr(first, last - first + 1)});
      }
      i = end == text.size() ? end : end + fence;
      continue;
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      size_t start = i;
      while (i < text.size() && static_cast<unsigned char>(text[i]) >= 0x80) ++i;
      builder.add({PromptToken::Kind::kForeign, std::string(text.substr(start, i - start))});
      continue;
    }
    if (is_run_char(c)) {
      size_t start = i;
      while (i < text.size() && is_run_char(text[i])) ++i;
      std::string_view run = text.substr(start, i - start);
      // Sentence punctuation and quotes around a word are not part of it.
      bool sentence_end = false;
      while (!run.empty() && (run.back() == '.' || run.back() == '-' || run.back() == '\'' ||
                              run.back() == '/' || run.back() == '=')) {
        // A trailing '/' belongs to a directory name ("src/"); keep it, it makes an identifier.
        if (run.back() == '/' && run.size() > 1) break;
        if (run.back() == '.') sentence_end = true;
        run.remove_suffix(1);
      }
      while (!run.empty() && run.front() == '\'') run.remove_prefix(1);
      if (!run.empty()) builder.add({kind_of(run), std::string(run)});
      if (sentence_end) builder.finish(true, false);
      continue;
    }
    if (is_boundary_char(c)) {
      bool sentence = c == '!' || c == '\n' || c == '\r';
      builder.finish(sentence, c == '?');
    }
    ++i;
  }
  return builder.take();
}

}  // namespace omk::routing
