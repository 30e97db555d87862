#include "safety/guard_expand.h"

#include <algorithm>

namespace omk::guard {
namespace {

using shell::WordPart;

bool has_glob_char(std::string_view text) {
  return text.find_first_of("*?[") != std::string_view::npos;
}

// Splits on any IFS character (treating runs as one separator, which is exact for the default
// blank IFS and close enough for the IFS=_ tricks that matter here).
std::vector<std::string> split_fields(std::string_view text, std::string_view ifs) {
  std::vector<std::string> fields;
  auto separator = [&](char c) { return ifs.find(c) != std::string_view::npos; };
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && separator(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !separator(text[i])) ++i;
    if (i > start) fields.emplace_back(text.substr(start, i - start));
  }
  return fields;
}

std::string home_of(const std::string& user, const GuardContext& context) {
  if (user.empty()) return context.home;
  if (user == "root") return "/root";
  return "/home/" + user;
}

// Builds the fields of one word part by part.
class FieldBuilder {
 public:
  explicit FieldBuilder(std::string ifs) : ifs_(std::move(ifs)) {}

  void literal(std::string_view text, bool quoted) {
    current_.text.append(text);
    if (!quoted && has_glob_char(text)) current_.glob = true;
    started_ = true;
  }

  void unknown(std::string_view placeholder) {
    current_.text.append(placeholder);
    current_.dynamic = true;
    started_ = true;
  }

  // A known value: split into several fields when it came from an unquoted expansion.
  void value(std::string_view text, bool quoted, bool split) {
    if (quoted || !split) {
      current_.text.append(text);
      started_ = true;
      return;
    }
    bool leading_space = !text.empty() && ifs_.find(text.front()) != std::string::npos;
    bool trailing_space = !text.empty() && ifs_.find(text.back()) != std::string::npos;
    auto pieces = split_fields(text, ifs_);
    if (pieces.empty()) return;
    if (leading_space) finish_field();
    for (size_t i = 0; i < pieces.size(); ++i) {
      if (i > 0) finish_field();
      current_.text.append(pieces[i]);
      if (has_glob_char(pieces[i])) current_.glob = true;
      started_ = true;
    }
    if (trailing_space) finish_field();
  }

  void produced_by(const std::vector<size_t>& invocations) {
    current_.produced_by.insert(current_.produced_by.end(), invocations.begin(), invocations.end());
  }

  std::vector<Arg> finish() {
    finish_field();
    return std::move(fields_);
  }

  void break_field() { finish_field(); }

 private:
  void finish_field() {
    if (started_) fields_.push_back(std::move(current_));
    current_ = Arg{};
    started_ = false;
  }

  std::string ifs_;
  std::vector<Arg> fields_;
  Arg current_;
  bool started_ = false;
};

class WordExpander {
 public:
  WordExpander(const ShellState& state, const GuardContext& context, const SubstitutionWalker& walk)
      : state_(state), context_(context), walk_(walk) {}

  std::vector<Arg> expand(const shell::Word& word, bool split) {
    auto ifs = state_.vars.find("IFS");
    FieldBuilder fields(ifs != state_.vars.end() && ifs->second ? *ifs->second : " \t\n");
    bool only_plain_literals = true;
    for (const WordPart& part : word.parts) {
      if (part.kind != WordPart::Kind::kLiteral || part.quoted) only_plain_literals = false;
      add_part(part, fields, split);
    }
    std::vector<Arg> result = fields.finish();
    if (split && only_plain_literals && result.size() == 1 &&
        result.front().text.find('{') != std::string::npos) {
      std::vector<Arg> braced;
      for (auto& text : brace_expand(result.front().text)) {
        Arg arg = result.front();
        arg.text = std::move(text);
        braced.push_back(std::move(arg));
      }
      return braced;
    }
    return result;
  }

 private:
  void add_part(const WordPart& part, FieldBuilder& fields, bool split) {
    switch (part.kind) {
      case WordPart::Kind::kLiteral:
        fields.literal(part.text, part.quoted);
        return;
      case WordPart::Kind::kTilde:
        fields.value(home_of(part.text, context_), true, false);
        return;
      case WordPart::Kind::kParameter:
        add_parameter(part, fields, split);
        return;
      case WordPart::Kind::kCommandSub: {
        SubstitutionResult result = walk_(part.script);
        fields.produced_by(result.invocations);
        if (result.output) {
          std::string output = *result.output;
          while (!output.empty() && output.back() == '\n') output.pop_back();
          fields.value(output, part.quoted, split);
        } else {
          fields.unknown("$(...)");
        }
        return;
      }
      case WordPart::Kind::kProcessSub: {
        SubstitutionResult result = walk_(part.script);
        fields.produced_by(result.invocations);
        fields.value("/dev/fd/63", true, false);
        return;
      }
      case WordPart::Kind::kArithmetic:
        if (part.script) fields.produced_by(walk_(part.script).invocations);
        fields.unknown("$((...))");
        return;
    }
  }

  std::optional<std::string> lookup(const std::string& name) const {
    auto it = state_.vars.find(name);
    if (it != state_.vars.end()) return it->second;
    if (name == "HOME") return context_.home;
    if (name == "PWD" && !state_.cwd.empty()) return state_.cwd;
    if (name == "TMPDIR") return context_.tmpdir;
    if (state_.positional) {
      if (name == "#") return std::to_string(state_.positional->size());
      if (name == "@" || name == "*") {
        std::string joined;
        for (const auto& value : *state_.positional) {
          if (!joined.empty()) joined += ' ';
          joined += value;
        }
        return joined;
      }
      bool digits = !name.empty() && std::all_of(name.begin(), name.end(),
                                                 [](char c) { return c >= '0' && c <= '9'; });
      if (digits && name != "0") {
        size_t index = std::stoul(name.size() > 6 ? "999999" : name);
        if (index >= 1 && index <= state_.positional->size()) {
          return (*state_.positional)[index - 1];
        }
        return std::string();
      }
    }
    return std::nullopt;
  }

  void add_parameter(const WordPart& part, FieldBuilder& fields, bool split) {
    // The operand runs whatever it substitutes, used or not.
    std::optional<Arg> operand;
    if (part.operand) {
      WordExpander nested(state_, context_, walk_);
      auto expanded = nested.expand(*part.operand, false);
      Arg joined;
      for (auto& arg : expanded) {
        joined.text += arg.text;
        joined.dynamic = joined.dynamic || arg.dynamic;
        joined.produced_by.insert(joined.produced_by.end(), arg.produced_by.begin(),
                                  arg.produced_by.end());
      }
      fields.produced_by(joined.produced_by);
      operand = std::move(joined);
    }
    std::string placeholder = "${" + part.text + "}";
    const std::string& op = part.parameter_op;
    if (op == "length" || op == "indirect") {
      fields.unknown(placeholder);
      return;
    }
    std::optional<std::string> value = lookup(part.text);
    bool colon = !op.empty() && op.front() == ':';
    bool set_and_nonempty = value && !value->empty();
    bool usable = colon ? set_and_nonempty : value.has_value();
    std::optional<std::string> result;
    if (op.empty()) {
      result = value;
    } else if (op == ":-" || op == "-" || op == ":=" || op == "=") {
      if (usable) {
        result = value;
      } else if (operand && !operand->dynamic) {
        result = operand->text;  // unknown or empty: assume the default the author wrote
      }
    } else if (op == ":+" || op == "+") {
      if (usable && operand && !operand->dynamic) result = operand->text;
      if (value && !usable) result = std::string();
    } else if (op == ":?" || op == "?") {
      result = value;
    } else if ((op == "#" || op == "##" || op == "%" || op == "%%") && value && operand &&
               !operand->dynamic && !has_glob_char(operand->text)) {
      const std::string& pattern = operand->text;
      std::string text = *value;
      if (op[0] == '#' && text.compare(0, pattern.size(), pattern) == 0) {
        text.erase(0, pattern.size());
      } else if (op[0] == '%' && text.size() >= pattern.size() &&
                 text.compare(text.size() - pattern.size(), pattern.size(), pattern) == 0) {
        text.erase(text.size() - pattern.size());
      }
      result = text;
    }
    if (!result) {
      fields.unknown(placeholder);
      return;
    }
    if ((part.text == "@") && part.quoted && state_.positional && op.empty()) {
      // "$@": one field per parameter.
      for (size_t i = 0; i < state_.positional->size(); ++i) {
        if (i > 0) fields.break_field();
        fields.value((*state_.positional)[i], true, false);
      }
      return;
    }
    fields.value(*result, part.quoted, split);
  }

  const ShellState& state_;
  const GuardContext& context_;
  const SubstitutionWalker& walk_;
};

// Finds the first top-level "{...,...}" group starting at or after `from`.
bool find_brace_group(const std::string& text, size_t& open, size_t& close,
                      std::vector<size_t>& commas) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{' || (i > 0 && text[i - 1] == '$')) continue;
    int depth = 0;
    commas.clear();
    for (size_t j = i; j < text.size(); ++j) {
      if (text[j] == '{') ++depth;
      if (text[j] == '}') {
        if (--depth == 0) {
          if (!commas.empty()) {
            open = i;
            close = j;
            return true;
          }
          break;
        }
      }
      if (text[j] == ',' && depth == 1) commas.push_back(j);
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> brace_expand(const std::string& text, size_t limit) {
  size_t open = 0, close = 0;
  std::vector<size_t> commas;
  if (!find_brace_group(text, open, close, commas)) return {text};
  std::string prefix = text.substr(0, open);
  std::string suffix = text.substr(close + 1);
  std::vector<std::string> results;
  size_t start = open + 1;
  commas.push_back(close);
  for (size_t comma : commas) {
    std::string alternative = prefix + text.substr(start, comma - start) + suffix;
    for (auto& expanded : brace_expand(alternative, limit)) {
      if (results.size() >= limit) return results;
      results.push_back(std::move(expanded));
    }
    start = comma + 1;
  }
  return results;
}

std::vector<Arg> expand_word(const shell::Word& word, const ShellState& state,
                             const GuardContext& context, const SubstitutionWalker& walk,
                             bool split) {
  WordExpander expander(state, context, walk);
  return expander.expand(word, split);
}

Arg expand_single(const shell::Word& word, const ShellState& state, const GuardContext& context,
                  const SubstitutionWalker& walk) {
  Arg joined;
  bool first = true;
  for (auto& arg : expand_word(word, state, context, walk, false)) {
    if (!first) joined.text += ' ';
    first = false;
    joined.text += arg.text;
    joined.dynamic = joined.dynamic || arg.dynamic;
    joined.glob = joined.glob || arg.glob;
    joined.produced_by.insert(joined.produced_by.end(), arg.produced_by.begin(),
                              arg.produced_by.end());
  }
  return joined;
}

}  // namespace omk::guard
