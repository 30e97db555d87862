// Wrappers that run code: shells (-c, -s, script files), interpreters' one-liners, awk
// programs, editors' ex commands, tools whose options name a command, git aliases and git
// config given with -c.

#include <algorithm>

#include "safety/guard_unwrap_impl.h"

namespace omk::guard::unwrapping {

void unwrap_shell(const Invocation& inv, std::vector<Unwrapped>& out) {
  const Args& argv = inv.argv;
  bool command_mode = false;
  bool stdin_mode = false;  // -s: commands from stdin, operands are positional parameters
  size_t i = 1;
  for (; i < argv.size(); ++i) {
    const std::string& text = argv[i].text;
    if (text == "--" || text == "-") {
      ++i;
      break;
    }
    if (text.size() < 2 || (text[0] != '-' && text[0] != '+') || argv[i].dynamic) break;
    if (text == "-o" || text == "+o" || text == "-O" || text == "+O" || text == "--rcfile" ||
        text == "--init-file") {
      ++i;
      continue;
    }
    if (text[0] == '-' && text[1] != '-' && text.find('c') != std::string::npos) {
      command_mode = true;
    }
    if (text[0] == '-' && text[1] != '-' && text.find('s') != std::string::npos) {
      stdin_mode = true;
    }
  }
  std::string via = inv.program + (command_mode ? " -c" : "");
  if (stdin_mode && !command_mode) {
    out.push_back(stdin_code(Language::kShell, via));
  } else if (i < argv.size()) {
    if (command_mode) {
      out.push_back(code_of(argv[i], Language::kShell, via, false));
      out.back().positional = tail(argv, i + 1);
    } else {
      out.push_back(file_code(argv[i], Language::kShell, via));
    }
  } else if (!command_mode) {
    out.push_back(stdin_code(Language::kShell, via));
  }
}

void unwrap_interpreter(const Invocation& inv, Language language, std::vector<Unwrapped>& out) {
  const Args& argv = inv.argv;
  const std::string& program = inv.program;
  std::string code_flags;
  std::string value_flags;
  switch (language) {
    case Language::kPython:
      code_flags = "c";
      value_flags = "mWXQ";
      break;
    case Language::kNode:
      code_flags = "ep";
      value_flags = "rC";
      break;
    case Language::kPerl:
      code_flags = "eE";
      value_flags = "";
      break;
    case Language::kRuby:
      code_flags = "e";
      value_flags = "rICEF";
      break;
    case Language::kPhp:
      code_flags = "r";
      value_flags = "fcdzt";
      break;
    default:
      return;
  }
  std::vector<Arg> code;
  size_t i = 1;
  if (language == Language::kNode && program == "deno" && argv.size() > 2 &&
      argv[1].text == "eval") {
    out.push_back(code_of(argv[2], language, "deno eval", true));
    return;
  }
  for (; i < argv.size(); ++i) {
    const std::string& text = argv[i].text;
    if (text == "--") {
      ++i;
      break;
    }
    if (text == "-") {
      out.push_back(stdin_code(language, program + " -"));
      return;
    }
    if (text.size() < 2 || text[0] != '-' || argv[i].dynamic) break;
    if (text[1] == '-') {
      std::string_view name = std::string_view(text).substr(0, text.find('='));
      bool is_code = name == "--eval" || name == "--print" || name == "--command";
      if (is_code) {
        if (text.find('=') != std::string::npos) {
          Arg attached = argv[i];
          attached.text = text.substr(text.find('=') + 1);
          code.push_back(attached);
        } else if (i + 1 < argv.size()) {
          code.push_back(argv[++i]);
        }
      } else if (text.find('=') == std::string::npos &&
                 contains({"--require", "--import", "--loader", "--experimental-loader",
                           "--conditions", "--input-type"},
                          name)) {
        ++i;
      }
      continue;
    }
    // A short cluster: the first code or value letter takes the rest or the next word.
    for (size_t k = 1; k < text.size(); ++k) {
      char letter = text[k];
      bool is_code = code_flags.find(letter) != std::string::npos;
      bool is_value = value_flags.find(letter) != std::string::npos;
      if (!is_code && !is_value) continue;
      Arg value;
      if (k + 1 < text.size()) {
        value = argv[i];
        value.text = text.substr(k + 1);
      } else if (i + 1 < argv.size()) {
        value = argv[++i];
      }
      if (is_code) code.push_back(value);
      if (is_value && letter == 'm' && language == Language::kPython) return;  // a module runs
      break;
    }
  }
  if (!code.empty()) {
    std::string via = program + " " + (language == Language::kPython ? "-c" : "-e");
    out.push_back(code_of(join(code, 0, "\n"), language, via, true));
    return;
  }
  if (i < argv.size()) {
    out.push_back(file_code(argv[i], language, program));
  } else {
    out.push_back(stdin_code(language, program));
  }
}

// awk's program is its first operand (unless given with -f); system() and "cmd" | getline run
// shell commands.
void unwrap_awk(const Invocation& inv, std::vector<Unwrapped>& out) {
  const Args& argv = inv.argv;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& text = argv[i].text;
    if (text == "-f" || starts_with(text, "--file")) return;
    if (text == "-v" || text == "-F") {
      ++i;
      continue;
    }
    if (text.size() > 1 && text[0] == '-') continue;
    out.push_back(code_of(argv[i], Language::kAwk, inv.program, true));
    return;
  }
}

// vim -c '!cmd', vim +'!cmd', vim --cmd '!cmd': an ex command starting with '!' runs a shell.
void unwrap_editor(const Invocation& inv, std::vector<Unwrapped>& out) {
  const Args& argv = inv.argv;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& text = argv[i].text;
    Arg command;
    if ((text == "-c" || text == "--cmd") && i + 1 < argv.size()) {
      command = argv[++i];
    } else if (text.size() > 1 && text[0] == '+') {
      command = argv[i];
      command.text = text.substr(1);
    } else {
      continue;
    }
    size_t bang = command.text.find_first_not_of(": ");
    if (bang != std::string::npos && command.text[bang] == '!') {
      command.text = command.text.substr(bang + 1);
      out.push_back(code_of(command, Language::kShell, inv.program + " !", false));
    }
  }
}

// Options of common tools whose value is a shell command they run.
void unwrap_command_options(const Invocation& inv, std::vector<Unwrapped>& out) {
  static const std::initializer_list<std::string_view> kOptions = {"--to-command",
                                                                   "--use-compress-program",
                                                                   "--checkpoint-action",
                                                                   "--rsh",
                                                                   "--info-script",
                                                                   "--new-volume-script",
                                                                   "-e",
                                                                   "-I"};
  const Args& argv = inv.argv;
  const std::string& p = inv.program;
  bool applies = p == "tar" || p == "rsync";
  if (!applies) return;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& text = argv[i].text;
    std::string name = text.substr(0, text.find('='));
    if (!contains(kOptions, name)) continue;
    if ((name == "-e" && p != "rsync") || (name == "-I" && p != "tar")) continue;
    Arg value = argv[i];
    if (text.find('=') != std::string::npos) {
      value.text = text.substr(text.find('=') + 1);
    } else if (i + 1 < argv.size()) {
      value = argv[++i];
    } else {
      continue;
    }
    if (starts_with(value.text, "exec=")) value.text = value.text.substr(5);
    out.push_back(code_of(value, Language::kShell, p + " " + name, false));
  }
}

void unwrap_git_alias(const Invocation& inv, std::vector<Unwrapped>& out) {
  const Args& argv = inv.argv;
  std::vector<std::pair<std::string, std::string>> aliases;
  size_t i = 1;
  while (i < argv.size()) {
    const std::string& text = argv[i].text;
    if (text == "-c" && i + 1 < argv.size()) {
      const std::string& setting = argv[i + 1].text;
      size_t eq = setting.find('=');
      std::string key = setting.substr(0, eq);
      std::transform(key.begin(), key.end(), key.begin(), ::tolower);
      if (starts_with(key, "alias.") && eq != std::string::npos) {
        aliases.emplace_back(key.substr(6), setting.substr(eq + 1));
      } else if (eq != std::string::npos &&
                 (key == "core.pager" || key == "core.editor" || key == "core.sshcommand" ||
                  key == "sequence.editor" || key == "core.fsmonitor" ||
                  (starts_with(key, "diff.") && key.size() > 9 &&
                   key.compare(key.size() - 9, 9, ".textconv") == 0))) {
        Arg value = argv[i + 1];
        value.text = setting.substr(eq + 1);
        out.push_back(code_of(value, Language::kShell, "git -c " + key, false));
      }
      i += 2;
    } else if (text == "-C" || text == "--git-dir" || text == "--work-tree" ||
               text == "--namespace" || text == "--config-env") {
      i += 2;
    } else if (!text.empty() && text[0] == '-') {
      ++i;
    } else {
      break;
    }
  }
  if (i >= argv.size()) return;
  for (const auto& [name, value] : aliases) {
    if (name != argv[i].text) continue;
    if (!value.empty() && value[0] == '!') {
      Arg script = join(argv, i + 1);
      script.text = value.substr(1) + (script.text.empty() ? "" : " " + script.text);
      out.push_back(code_of(script, Language::kShell, "git alias", false));
    } else {
      Args expanded = {argv[0]};
      size_t start = 0;
      while (start < value.size()) {
        size_t end = value.find(' ', start);
        if (end == std::string::npos) end = value.size();
        if (end > start)
          expanded.push_back(Arg{value.substr(start, end - start), false, false, {}});
        start = end + 1;
      }
      for (size_t k = i + 1; k < argv.size(); ++k) expanded.push_back(argv[k]);
      out.push_back(argv_of(std::move(expanded), "git alias"));
    }
  }
}

}  // namespace omk::guard::unwrapping
