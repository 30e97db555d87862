#include "safety/guard_walk.h"

#include <algorithm>

#include "safety/guard_expand.h"
#include "safety/guard_path.h"
#include "safety/guard_programs.h"
#include "safety/guard_shell_state.h"
#include "safety/shell_ast.h"

namespace omk::guard {
namespace {

using shell::Command;

constexpr size_t kMaxSteps = 20000;  // commands followed, across loops and functions
constexpr size_t kMaxInvocations = 4096;
constexpr size_t kMaxCodeDepth = 8;  // bash -c 'bash -c "..."' ...
constexpr size_t kMaxCallDepth = 16;
constexpr size_t kMaxLoopValues = 16;

std::string shorten(std::string_view text, size_t limit = 200) {
  if (text.size() <= limit) return std::string(text);
  return std::string(text.substr(0, limit)) + "...";
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
    size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') ++i;
    if (i > start) words.emplace_back(text.substr(start, i - start));
  }
  return words;
}

std::string join_texts(const std::vector<Arg>& args) {
  std::string out;
  for (const auto& arg : args) {
    if (!out.empty()) out += ' ';
    out += arg.text;
  }
  return out;
}

class Walker {
 public:
  Walker(const GuardContext& context, Analysis& out) : context_(context), out_(out) {}

  void walk_list(const shell::List& list, ShellState& state) {
    for (const auto& item : list.items) {
      for (const auto& pipeline : item.pipelines) walk_pipeline(pipeline, state, item.background);
    }
  }

  void walk_code(std::string_view code, ShellState& state, const std::string& via,
                 std::optional<size_t> parent, bool same_shell, bool quiet,
                 const std::vector<Arg>& positional = {}) {
    if (state.code_depth >= kMaxCodeDepth) {
      out_.findings.push_back({Decision::kDeny, "nesting-limit",
                               "commands nested through more than " +
                                   std::to_string(kMaxCodeDepth) +
                                   " levels of bash -c/eval cannot be checked",
                               shorten(code), ""});
      return;
    }
    shell::ParseResult parsed = shell::parse(code);
    if (parsed.error) {
      if (!quiet) {
        out_.findings.push_back(
            {Decision::kDeny, "parse-error",
             "cannot take apart what " + via + " runs (" + parsed.error->message + " at offset " +
                 std::to_string(parsed.error->offset) + "); a command omk cannot read is refused",
             shorten(code), ""});
      }
      return;
    }
    auto saved_via = via_;
    auto saved_parent = parent_;
    via_ = via;
    parent_ = parent;
    ++state.code_depth;
    if (same_shell) {
      walk_list(*parsed.script, state);
    } else {
      ShellState child = state;
      bool known = std::none_of(positional.begin(), positional.end(),
                                [](const Arg& arg) { return arg.dynamic; });
      if (!positional.empty() && known) {
        // bash -c 'code' zero one two: $0=zero, $1=one ...
        child.vars["0"] = positional.front().text;
        std::vector<std::string> rest;
        for (size_t i = 1; i < positional.size(); ++i) rest.push_back(positional[i].text);
        child.positional = std::move(rest);
      }
      walk_list(*parsed.script, child);
    }
    --state.code_depth;
    via_ = std::move(saved_via);
    parent_ = saved_parent;
  }

 private:
  struct Position {
    size_t pipe_id = 0;
    size_t stage = 0;
    size_t stages = 1;
    bool background = false;
    std::optional<size_t> parent;
    std::string via;
    std::optional<std::string> stdin_text;  // what the previous stage prints, when known
  };

  bool step() {
    if (++steps_ <= kMaxSteps && out_.invocations.size() < kMaxInvocations) return true;
    if (!exhausted_) {
      exhausted_ = true;
      out_.findings.push_back({Decision::kDeny, "too-complex",
                               "the command expands to more than " +
                                   std::to_string(kMaxInvocations) +
                                   " commands; omk refuses what it cannot check completely",
                               "", ""});
    }
    return false;
  }

  void walk_pipeline(const shell::Pipeline& pipeline, ShellState& state, bool background) {
    size_t id = next_pipe_++;
    size_t stages = pipeline.commands.size();
    std::optional<std::string> previous_output;
    for (size_t i = 0; i < stages; ++i) {
      Position position{id, i, stages, background, parent_, via_, previous_output};
      size_t first = out_.invocations.size();
      if (stages == 1) {
        bool saved = state.concurrent;
        state.concurrent = saved || background;
        walk_command(pipeline.commands[i], state, position);
        state.concurrent = saved;
      } else {
        // Each stage of a pipeline runs in its own subshell.
        ShellState stage_state = state;
        stage_state.concurrent = true;
        walk_command(pipeline.commands[i], stage_state, position);
      }
      previous_output.reset();
      if (out_.invocations.size() == first + 1 &&
          pipeline.commands[i].kind == Command::Kind::kSimple) {
        previous_output = static_output(out_.invocations[first]);
      }
    }
  }

  void walk_command(const Command& command, ShellState& state, const Position& position) {
    if (!step()) return;
    switch (command.kind) {
      case Command::Kind::kSimple:
        walk_simple(command, state, position);
        return;
      case Command::Kind::kSubshell: {
        ShellState child = state;
        walk_list(*command.bodies.front(), child);
        break;
      }
      case Command::Kind::kGroup:
      case Command::Kind::kIf:
      case Command::Kind::kLoop:
        for (const auto& body : command.bodies) walk_list(*body, state);
        break;
      case Command::Kind::kFor:
        walk_for(command, state);
        break;
      case Command::Kind::kCase:
        for (const auto& word : command.words) expand(word, state, position);
        for (const auto& body : command.bodies) walk_list(*body, state);
        break;
      case Command::Kind::kFunctionDef:
        state.functions[command.name] = command.bodies.front();
        return;
      case Command::Kind::kArithmetic:
      case Command::Kind::kConditional:
        for (const auto& word : command.words) expand(word, state, position);
        break;
    }
    if (!command.redirects.empty()) {
      Invocation invocation;
      invocation.fragment = "(compound command) redirected";
      invocation.redirects = expand_redirects(command.redirects, state, position);
      add(std::move(invocation), state, position);
    }
  }

  void walk_for(const Command& command, ShellState& state) {
    Position position;
    std::vector<Arg> values;
    for (const auto& word : command.words) {
      auto expanded = expand(word, state, position);
      values.insert(values.end(), expanded.begin(), expanded.end());
    }
    const auto& body = *command.bodies.front();
    if (command.name.empty()) {  // for (( ... ))
      walk_list(body, state);
      return;
    }
    bool known = command.has_word_list && !values.empty() && values.size() <= kMaxLoopValues &&
                 std::none_of(values.begin(), values.end(),
                              [](const Arg& v) { return v.dynamic || v.glob; });
    if (!known) {
      state.vars[command.name] = std::nullopt;
      walk_list(body, state);
      return;
    }
    for (const auto& value : values) {
      state.vars[command.name] = value.text;
      walk_list(body, state);
    }
  }

  SubstitutionWalker substitution_walker(const ShellState& state) {
    return [this, &state](const shell::ListPtr& list) {
      SubstitutionResult result;
      ShellState child = state;
      size_t first = out_.invocations.size();
      walk_list(*list, child);
      for (size_t i = first; i < out_.invocations.size(); ++i) result.invocations.push_back(i);
      bool single = list->items.size() == 1 && list->items[0].pipelines.size() == 1 &&
                    list->items[0].pipelines[0].commands.size() == 1 &&
                    list->items[0].pipelines[0].commands[0].kind == Command::Kind::kSimple;
      if (single && first < out_.invocations.size()) {
        result.output = static_output(out_.invocations[first]);
      }
      return result;
    };
  }

  std::vector<Arg> expand(const shell::Word& word, const ShellState& state, const Position&) {
    return expand_word(word, state, context_, substitution_walker(state));
  }

  std::vector<RedirectUse> expand_redirects(const std::vector<shell::Redirect>& redirects,
                                            const ShellState& state, const Position&) {
    std::vector<RedirectUse> uses;
    auto walk = substitution_walker(state);
    for (const auto& redirect : redirects) {
      RedirectUse use;
      use.fd = redirect.fd;
      use.op = redirect.op;
      if (redirect.heredoc) {
        use.target.text = redirect.target.raw;
        if (redirect.heredoc->expanded) {
          Arg body = expand_single(*redirect.heredoc->expanded, state, context_, walk);
          use.input_text = body.text;
          use.input_dynamic = body.dynamic;
          use.produced_by = body.produced_by;
        } else {
          use.input_text = redirect.heredoc->body;
        }
      } else {
        use.target = expand_single(redirect.target, state, context_, walk);
        if (redirect.op == "<<<") {
          use.input_text = use.target.text + "\n";
          use.input_dynamic = use.target.dynamic;
          use.produced_by = use.target.produced_by;
        }
      }
      uses.push_back(std::move(use));
    }
    return uses;
  }

  void walk_simple(const Command& command, ShellState& state, const Position& position) {
    const shell::SimpleCommand& simple = command.simple;
    auto walk = substitution_walker(state);
    Invocation invocation;
    invocation.fragment = simple.text;
    for (const auto& assignment : simple.assignments) {
      Arg value;
      if (assignment.is_array) {
        std::vector<Arg> items;
        for (const auto& word : assignment.array_values) {
          auto expanded = expand_word(word, state, context_, walk);
          items.insert(items.end(), expanded.begin(), expanded.end());
        }
        value.text = join_texts(items);
        value.dynamic = true;  // arrays are not tracked element by element
      } else {
        value = expand_single(assignment.value, state, context_, walk);
      }
      invocation.assignments.emplace_back(assignment.name, std::move(value));
    }
    for (const auto& word : simple.words) {
      auto expanded = expand_word(word, state, context_, walk);
      invocation.argv.insert(invocation.argv.end(), expanded.begin(), expanded.end());
    }
    invocation.redirects = expand_redirects(simple.redirects, state, position);
    if (invocation.argv.empty()) {
      for (const auto& [name, value] : invocation.assignments) {
        state.vars[name] = value.dynamic ? std::nullopt : std::optional<std::string>(value.text);
      }
      if (!invocation.redirects.empty()) add(std::move(invocation), state, position);
      return;
    }
    add(std::move(invocation), state, position);
  }

  void add(Invocation invocation, ShellState& state, const Position& position) {
    if (!step()) return;
    if (!invocation.argv.empty()) {
      invocation.program =
          invocation.argv.front().dynamic ? "" : normalize_program(invocation.argv.front().text);
    }
    invocation.cwd = state.cwd;
    invocation.pipe_id = position.pipe_id;
    invocation.stage = position.stage;
    invocation.stages = position.stages;
    invocation.background = position.background || state.concurrent;
    invocation.via = position.via;
    invocation.parent = position.parent;
    invocation.downloaded.assign(state.downloaded.begin(), state.downloaded.end());
    auto venv = state.vars.find("VIRTUAL_ENV");
    invocation.in_virtualenv = venv != state.vars.end() && venv->second && !venv->second->empty();
    invocation.speculative = speculative_;
    size_t index = out_.invocations.size();
    out_.invocations.push_back(invocation);

    apply_shell_effects(invocation, state, context_);
    if (is_network_fetch(invocation)) {
      for (const auto& file : fetch_output_files(invocation)) {
        std::string path = resolve_path(state.cwd, file);
        if (!path.empty()) state.downloaded.insert(path);
      }
    }
    remember_written_script(invocation, state);
    if (invocation.argv.empty()) return;
    const Arg& name = invocation.argv.front();
    if (!name.dynamic && name.text.find('/') != std::string::npos) {
      auto script = state.written.find(resolve_path(state.cwd, name.text));
      if (script != state.written.end()) {
        std::string code = script->second;
        walk_code(code, state, name.text, index, false, false);
      }
    }
    auto function = state.functions.find(name.text);
    if (!name.dynamic && function != state.functions.end()) {
      call_function(function->first, function->second, invocation, state);
      return;
    }
    for (const Unwrapped& inner : unwrap(invocation))
      follow(inner, index, invocation, state, position);
  }

  void call_function(const std::string& name, const shell::ListPtr& body,
                     const Invocation& invocation, ShellState& state) {
    if (std::find(state.call_stack.begin(), state.call_stack.end(), name) !=
        state.call_stack.end()) {
      if (state.concurrent || invocation.background || invocation.stages > 1) {
        out_.findings.push_back({Decision::kDeny, "fork-bomb",
                                 "function '" + name +
                                     "' starts copies of itself in a pipeline or in the "
                                     "background: a fork bomb",
                                 shorten(invocation.fragment), ""});
      }
      return;
    }
    if (state.call_stack.size() >= kMaxCallDepth) return;
    auto saved_positional = state.positional;
    std::vector<std::string> args;
    for (size_t i = 1; i < invocation.argv.size(); ++i) args.push_back(invocation.argv[i].text);
    state.positional = args;
    state.call_stack.push_back(name);
    bool saved_concurrent = state.concurrent;
    state.concurrent = saved_concurrent || invocation.background || invocation.stages > 1;
    walk_list(*body, state);
    state.concurrent = saved_concurrent;
    state.call_stack.pop_back();
    state.positional = std::move(saved_positional);
  }

  void follow(const Unwrapped& inner, size_t parent, const Invocation& wrapper, ShellState& state,
              const Position& position) {
    Position child = position;
    child.parent = parent;
    child.via = inner.via;
    switch (inner.kind) {
      case Unwrapped::Kind::kArgv: {
        Invocation invocation;
        invocation.argv = inner.argv;
        if (inner.via == "xargs" && position.stdin_text) {
          // echo / | xargs rm -rf: the input is known, so are the arguments.
          auto& args = invocation.argv;
          auto at = std::find_if(args.begin(), args.end(), [](const Arg& arg) {
            return arg.dynamic && arg.text == "{xargs input}";
          });
          auto fields = split_words(*position.stdin_text);
          if (at != args.end() && fields.size() <= 64) {
            at = args.erase(at);
            for (auto& field : fields) at = args.insert(at, Arg{field, false, false, {}}) + 1;
          }
        }
        invocation.fragment = join_texts(inner.argv);
        invocation.redirects = wrapper.redirects;  // sudo sh <<EOF: the heredoc is sh's stdin
        invocation.assignments = wrapper.assignments;
        add(std::move(invocation), state, child);
        return;
      }
      case Unwrapped::Kind::kScript:
        walk_code(inner.code, state, inner.via, parent, inner.via == "eval", false,
                  inner.positional);
        return;
      case Unwrapped::Kind::kDynamicCode: {
        // What we can see of it still counts: eval "rm -rf $DIR" is an rm.
        bool saved = speculative_;
        speculative_ = true;
        walk_code(inner.word.text, state, inner.via, parent, false, true);
        speculative_ = saved;
        return;
      }
      case Unwrapped::Kind::kStdinCode: {
        if (inner.language != Language::kShell) return;
        std::optional<std::string> text = position.stdin_text;
        for (const auto& redirect : wrapper.redirects) {
          if (redirect.input_text) text = redirect.input_text;
        }
        if (text) walk_code(*text, state, inner.via + " (stdin)", parent, false, false);
        return;
      }
      case Unwrapped::Kind::kCodeFile: {
        // A script this same line wrote (echo 'rm -rf /' > x.sh; bash x.sh) is known.
        if (inner.language != Language::kShell || inner.word.dynamic) return;
        auto script = state.written.find(resolve_path(state.cwd, inner.word.text));
        if (script != state.written.end()) {
          std::string code = script->second;
          walk_code(code, state, inner.via + " " + inner.word.text, parent,
                    inner.via == "source" || inner.via == ".", false);
        }
        return;
      }
      case Unwrapped::Kind::kInlineCode:
        return;  // judged by the rules
    }
  }

  const GuardContext& context_;
  Analysis& out_;
  size_t next_pipe_ = 0;
  size_t steps_ = 0;
  bool exhausted_ = false;
  std::string via_;
  std::optional<size_t> parent_;
  bool speculative_ = false;
};

}  // namespace

Analysis analyze_shell(std::string_view command, const GuardContext& context) {
  Analysis analysis;
  shell::ParseResult parsed = shell::parse(command);
  if (parsed.error) {
    analysis.findings.push_back({Decision::kDeny, "parse-error",
                                 "cannot take the command apart (" + parsed.error->message +
                                     " at offset " + std::to_string(parsed.error->offset) +
                                     "); a command omk cannot read is refused",
                                 shorten(command), ""});
    return analysis;
  }
  Walker walker(context, analysis);
  ShellState state;
  state.cwd = context.cwd;
  walker.walk_list(*parsed.script, state);
  return analysis;
}

}  // namespace omk::guard
