// Interpreter one-liners (python -c, node -e, perl -e, ruby -e, php -r). omk does not parse
// every language; it looks for the calls that matter and judges the strings they are given:
// a shell command handed to os.system is checked like any other shell command.

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "safety/guard_path.h"
#include "safety/guard_rules.h"
#include "safety/guard_walk.h"

namespace omk::guard {
namespace {

struct Markers {
  std::vector<std::string_view> exec;
  std::vector<std::string_view> remove;
  std::vector<std::string_view> write;
};

const Markers& markers_for(Language language) {
  static const Markers python{
      {"os.system", "subprocess", "os.popen", "os.exec", "os.spawn", "pty.spawn", "commands.get"},
      {"rmtree", "os.remove", "os.unlink", "os.rmdir", "removedirs", ".unlink(", ".rmdir("},
      {"open(", "write_text", "write_bytes", "shutil.copy", "shutil.move", "os.rename"}};
  static const Markers node{
      {"child_process", "execSync", "spawnSync", "execFileSync", "exec(", "spawn(", "shelljs"},
      {"rmSync", "rmdirSync", "unlinkSync", "fs.rm", "fs.unlink", "rimraf", "rmdir("},
      {"writeFile", "appendFile", "createWriteStream", "copyFile", "renameSync", "rename("}};
  static const Markers perl{{"system", "exec", "`", "qx"},
                            {"unlink", "rmtree", "remove_tree", "rmdir"},
                            {"open", "rename", "copy", "move"}};
  static const Markers ruby{
      {"system", "exec", "`", "%x", "Open3", "IO.popen", "spawn"},
      {"rm_rf", "rm_r", "FileUtils.rm", "File.delete", "File.unlink", "Dir.rmdir", "remove_dir",
       "remove_entry"},
      {"File.write", "File.open", "IO.write", "FileUtils.cp", "FileUtils.mv"}};
  static const Markers php{{"system", "exec", "shell_exec", "passthru", "popen", "proc_open", "`"},
                           {"unlink", "rmdir"},
                           {"file_put_contents", "fopen", "rename", "copy"}};
  static const Markers awk{{"system(", "| getline", "|getline", "|&", "print |", "printf |"},
                           {},
                           {"print >", "printf >"}};
  static const Markers none{};
  switch (language) {
    case Language::kPython:
      return python;
    case Language::kNode:
      return node;
    case Language::kPerl:
      return perl;
    case Language::kRuby:
      return ruby;
    case Language::kPhp:
      return php;
    case Language::kAwk:
      return awk;
    default:
      return none;
  }
}

bool contains_any(std::string_view code, const std::vector<std::string_view>& needles) {
  return std::any_of(needles.begin(), needles.end(), [&](std::string_view needle) {
    return code.find(needle) != std::string_view::npos;
  });
}

struct Literal {
  std::string text;
  size_t begin;
  size_t end;
};

// String literals in '...', "..." and `...`, with simple escapes decoded.
std::vector<Literal> string_literals(std::string_view code) {
  std::vector<Literal> literals;
  for (size_t i = 0; i < code.size() && literals.size() < 256; ++i) {
    char quote = code[i];
    // Perl and Ruby quote-like operators: q{...} qq(...) %q[...].
    bool word_start =
        i == 0 || !(std::isalnum(static_cast<unsigned char>(code[i - 1])) || code[i - 1] == '_');
    if (word_start && (code[i] == 'q' || code[i] == '%')) {
      size_t open = i + 1;
      if (code[i] == '%' && open < code.size() && (code[open] == 'q' || code[open] == 'Q')) ++open;
      if (code[i] == 'q' && open < code.size() && code[open] == 'q') ++open;
      static const std::string_view kOpen = "{([<";
      static const std::string_view kClose = "})]>";
      size_t kind = open < code.size() ? kOpen.find(code[open]) : std::string_view::npos;
      if (open > i + (code[i] == '%' ? 1 : 0) && kind != std::string_view::npos) {
        size_t close = code.find(kClose[kind], open + 1);
        if (close != std::string_view::npos) {
          literals.push_back({std::string(code.substr(open + 1, close - open - 1)), i, close + 1});
          i = close;
          continue;
        }
      }
    }
    if (quote != '\'' && quote != '"' && quote != '`') continue;
    bool triple = code.substr(i, 3) == std::string(3, quote);
    size_t j = i + (triple ? 3 : 1);
    std::string text;
    bool closed = false;
    for (; j < code.size(); ++j) {
      if (code[j] == '\\' && j + 1 < code.size()) {
        char e = code[++j];
        text += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        continue;
      }
      if (triple ? code.substr(j, 3) == std::string(3, quote) : code[j] == quote) {
        closed = true;
        break;
      }
      text += code[j];
    }
    if (!closed) break;
    size_t end = j + (triple ? 3 : 1);
    literals.push_back({std::move(text), i, end});
    i = end - 1;
  }
  return literals;
}

// ['rm', '-rf', '/'] -> "rm -rf /": runs of literals separated only by commas and blanks.
std::vector<std::string> argument_lists(std::string_view code,
                                        const std::vector<Literal>& literals) {
  std::vector<std::string> lists;
  for (size_t i = 0; i < literals.size();) {
    std::string joined = literals[i].text;
    size_t j = i + 1;
    for (; j < literals.size(); ++j) {
      std::string_view between =
          code.substr(literals[j - 1].end, literals[j].begin - literals[j - 1].end);
      if (between.find_first_not_of(" \t\n,") != std::string_view::npos ||
          between.find(',') == std::string_view::npos) {
        break;
      }
      joined += " " + literals[j].text;
    }
    if (j > i + 1) lists.push_back(std::move(joined));
    i = j;
  }
  return lists;
}

int& nesting() {
  static thread_local int depth = 0;
  return depth;
}

}  // namespace

std::vector<Reason> judge_inline_code(Language language, std::string_view code,
                                      const GuardContext& context, std::string_view cwd) {
  std::vector<Reason> reasons;
  const Markers& markers = markers_for(language);
  std::string shown(code.substr(0, 200));
  auto add = [&](Decision decision, std::string rule, std::string message, std::string path = {}) {
    reasons.push_back({decision, std::move(rule), std::move(message), shown, std::move(path)});
  };
  bool evaluates = contains_any(code, {"eval(", "exec(", "Function(", "instance_eval", "eval "});
  if (evaluates && contains_any(code, {"b64decode", "base64", "atob(", "Buffer.from", "decode(",
                                       "unpack(", "fromCharCode", "rot13", "codecs.decode"})) {
    add(Decision::kDeny, "decoded-code",
        "evaluates code it decodes first, which hides what it does");
  }
  if ((evaluates || contains_any(code, markers.exec)) &&
      contains_any(code, {"urlopen", "requests.", "urllib", "http.get", "https.get", "fetch(",
                          "LWP", "Net::HTTP", "open-uri", "URI.open", "file_get_contents(\"http",
                          "file_get_contents('http", "curl", "wget"})) {
    add(Decision::kDeny, "remote-code", "runs code it downloads");
  }
  std::vector<Literal> literals = string_literals(code);
  std::vector<std::string> candidates;
  for (const auto& literal : literals) candidates.push_back(literal.text);
  for (auto& list : argument_lists(code, literals)) candidates.push_back(std::move(list));

  if (contains_any(code, markers.exec) && nesting() < 3) {
    ++nesting();
    Decision worst = Decision::kAllow;
    for (const auto& command : candidates) {
      Analysis inner =
          analyze_shell(command, GuardContext{context.workspace, std::string(cwd), context.home,
                                              context.tmpdir, context.current_branch,
                                              context.protected_branches, context.in_virtualenv});
      if (!inner.findings.empty()) continue;  // a string that is not a command
      for (size_t i = 0; i < inner.invocations.size(); ++i) {
        for (auto& reason : judge_invocation(inner, i, context)) {
          if (reason.decision == Decision::kDeny) {
            add(Decision::kDeny, reason.rule,
                "runs the shell command '" + command + "': " + reason.message, reason.path);
          }
          worst = std::max(worst, reason.decision);
        }
      }
    }
    --nesting();
    if (worst != Decision::kDeny && candidates.empty()) {
      add(Decision::kAsk, "interpreter-shell",
          "runs shell commands from code omk cannot read statically");
    }
  }
  bool removes = contains_any(code, markers.remove);
  bool writes = contains_any(code, markers.write);
  bool asked_remove = false;
  for (const auto& candidate : candidates) {
    if (candidate.empty() || candidate.size() > 4096 || candidate.find('\n') != std::string::npos) {
      continue;
    }
    Arg arg;
    arg.text = candidate;
    if (candidate == "~" || candidate.rfind("~/", 0) == 0)
      arg.text = context.home + candidate.substr(1);
    PathFacts facts = examine_path(arg, cwd, context);
    if (!facts.known) continue;
    std::string secret = secret_file_kind(facts.absolute, context);
    if (!secret.empty()) {
      add(Decision::kDeny, "secret-read", "opens the " + secret + " " + facts.absolute,
          facts.absolute);
    }
    std::string protected_kind = protected_path_kind(facts.absolute, context);
    if (!protected_kind.empty() && (writes || removes)) {
      add(Decision::kDeny, "protected-path",
          "changes " + facts.absolute + ": " + protected_kind +
              " may only be changed by a person, never by an agent",
          facts.absolute);
    }
    if (removes && (facts.root || facts.home || facts.workspace || facts.workspace_ancestor ||
                    facts.system || facts.git_dir)) {
      add(Decision::kDeny, "interpreter-delete", "deletes " + facts.absolute, facts.absolute);
    }
  }
  if (removes && !asked_remove) {
    asked_remove = true;
    bool denied = std::any_of(reasons.begin(), reasons.end(), [](const Reason& reason) {
      return reason.rule == "interpreter-delete";
    });
    if (!denied) add(Decision::kAsk, "interpreter-delete", "deletes files from interpreter code");
  }
  return reasons;
}

}  // namespace omk::guard
