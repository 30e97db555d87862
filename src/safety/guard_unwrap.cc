// What wrappers run: privilege and scheduling wrappers, env, xargs, find -exec, shells and
// eval, interpreters' one-liners, git aliases given with -c. Each is read from its own option
// syntax so that `sudo -u x rm`, `timeout -s KILL 5 rm` and `env -i A=1 rm` all reach `rm`.

#include <algorithm>

#include "safety/guard_unwrap_impl.h"

namespace omk::guard {
namespace unwrapping {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool contains(std::initializer_list<std::string_view> list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Skips options from argv[i]; returns the index of the first operand (past a "--").
// `short_values`: short options that take a value; `long_values`: long options that do.
size_t skip_options(const Args& argv, size_t i, std::string_view short_values,
                    std::initializer_list<std::string_view> long_values) {
  while (i < argv.size()) {
    const std::string& text = argv[i].text;
    if (text == "--") return i + 1;
    if (text.size() < 2 || text[0] != '-' || argv[i].dynamic) return i;
    if (text[1] == '-') {
      std::string_view name = std::string_view(text).substr(0, text.find('='));
      bool takes_value = text.find('=') == std::string::npos && contains(long_values, name);
      i += takes_value ? 2 : 1;
      continue;
    }
    bool value_next = false;
    for (size_t k = 1; k < text.size(); ++k) {
      if (short_values.find(text[k]) != std::string_view::npos) {
        value_next = k + 1 == text.size();
        break;
      }
    }
    i += value_next ? 2 : 1;
  }
  return i;
}

Args tail(const Args& argv, size_t from) {
  if (from >= argv.size()) return {};
  return Args(argv.begin() + static_cast<std::ptrdiff_t>(from), argv.end());
}

Arg join(const Args& args, size_t from, std::string_view separator) {
  Arg joined;
  for (size_t i = from; i < args.size(); ++i) {
    if (i > from) joined.text += separator;
    joined.text += args[i].text;
    joined.dynamic = joined.dynamic || args[i].dynamic;
    joined.produced_by.insert(joined.produced_by.end(), args[i].produced_by.begin(),
                              args[i].produced_by.end());
  }
  return joined;
}

Arg placeholder(std::string text) {
  Arg arg;
  arg.text = std::move(text);
  arg.dynamic = true;
  return arg;
}

Unwrapped argv_of(Args argv, std::string via) {
  Unwrapped result;
  result.kind = Unwrapped::Kind::kArgv;
  result.argv = std::move(argv);
  result.via = std::move(via);
  return result;
}

Unwrapped code_of(const Arg& word, Language language, std::string via, bool inline_code) {
  Unwrapped result;
  result.language = language;
  result.via = std::move(via);
  result.word = word;
  if (inline_code && language != Language::kShell) {
    result.kind = Unwrapped::Kind::kInlineCode;
    result.code = word.text;
  } else if (word.dynamic) {
    result.kind = Unwrapped::Kind::kDynamicCode;
  } else {
    result.kind = Unwrapped::Kind::kScript;
    result.code = word.text;
  }
  return result;
}

Unwrapped stdin_code(Language language, std::string via) {
  Unwrapped result;
  result.kind = Unwrapped::Kind::kStdinCode;
  result.language = language;
  result.via = std::move(via);
  return result;
}

Unwrapped file_code(const Arg& file, Language language, std::string via) {
  Unwrapped result;
  result.kind = Unwrapped::Kind::kCodeFile;
  result.language = language;
  result.word = file;
  result.via = std::move(via);
  return result;
}

void add_if_operands(std::vector<Unwrapped>& out, const Args& argv, size_t first,
                     const std::string& via) {
  if (first < argv.size()) out.push_back(argv_of(tail(argv, first), via));
}

}  // namespace unwrapping

namespace {

using namespace unwrapping;

void unwrap_xargs(const Invocation& inv, std::vector<Unwrapped>& out) {
  const Args& argv = inv.argv;
  std::optional<std::string> replace;
  size_t i = 1;
  for (; i < argv.size(); ++i) {
    const std::string& text = argv[i].text;
    if (text == "--") {
      ++i;
      break;
    }
    if (text.size() < 2 || text[0] != '-') break;
    if (text == "-I" && i + 1 < argv.size()) {
      replace = argv[++i].text;
    } else if (starts_with(text, "-I")) {
      replace = text.substr(2);
    } else if (text == "-i" || text == "--replace") {
      replace = "{}";
    } else if (starts_with(text, "-i") || starts_with(text, "--replace=")) {
      replace = text.substr(text.find_first_of("i=") + 1);
    } else if (contains({"-a", "-E", "-d", "-L", "-l", "-n", "-P", "-s"}, text) ||
               contains({"--arg-file", "--delimiter", "--eof", "--max-lines", "--max-args",
                         "--max-procs", "--max-chars", "--process-slot-var"},
                        text)) {
      ++i;
    }
  }
  Args command = tail(argv, i);
  if (command.empty()) command.push_back(Arg{"echo", false, false, {}});
  if (replace && !replace->empty()) {
    for (auto& arg : command) {
      if (arg.text.find(*replace) != std::string::npos) arg = placeholder(arg.text);
    }
  } else {
    command.push_back(placeholder("{xargs input}"));
  }
  out.push_back(argv_of(std::move(command), "xargs"));
}

void unwrap_find(const Invocation& inv, std::vector<Unwrapped>& out) {
  const Args& argv = inv.argv;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& action = argv[i].text;
    if (action != "-exec" && action != "-execdir" && action != "-ok" && action != "-okdir") {
      continue;
    }
    Args command;
    size_t j = i + 1;
    for (; j < argv.size(); ++j) {
      const std::string& text = argv[j].text;
      if (text == ";" || (text == "+" && j > i + 1 && argv[j - 1].text == "{}")) break;
      command.push_back(text.find("{}") != std::string::npos ? placeholder(text) : argv[j]);
    }
    if (!command.empty()) out.push_back(argv_of(std::move(command), "find " + action));
    i = j;
  }
}

void unwrap_parallel(const Invocation& inv, std::vector<Unwrapped>& out) {
  const Args& argv = inv.argv;
  size_t i = skip_options(argv, 1, "jSIaE", {"--jobs", "--sshlogin", "--arg-file", "--delimiter"});
  Args command;
  Args inputs;
  bool in_inputs = false;
  for (; i < argv.size(); ++i) {
    if (argv[i].text == ":::" || argv[i].text == "::::") {
      in_inputs = true;
      continue;
    }
    (in_inputs ? inputs : command).push_back(argv[i]);
  }
  if (command.empty()) return;
  Arg script = join(command, 0);
  if (inputs.empty()) inputs.push_back(placeholder("{parallel input}"));
  for (size_t k = 0; k < inputs.size() && k < 8; ++k) {
    Arg one = script;
    if (one.text.find("{}") != std::string::npos) {
      size_t at;
      while ((at = one.text.find("{}")) != std::string::npos)
        one.text.replace(at, 2, inputs[k].text);
    } else {
      one.text += " " + inputs[k].text;
    }
    one.dynamic = one.dynamic || inputs[k].dynamic;
    out.push_back(code_of(one, Language::kShell, "parallel", false));
  }
}

}  // namespace

std::vector<Unwrapped> unwrap(const Invocation& inv) {
  std::vector<Unwrapped> out;
  const Args& argv = inv.argv;
  const std::string& p = inv.program;
  if (argv.empty() || inv.program_dynamic()) return out;

  if (p == "sudo") {
    if (contains({"-e", "-l", "-v", "-k", "-K", "-V", "--edit", "--list"},
                 argv.size() > 1 ? argv[1].text : "")) {
      return out;
    }
    add_if_operands(
        out, argv,
        skip_options(argv, 1, "ugpChDrtUT",
                     {"--user", "--group", "--prompt", "--close-from", "--host", "--chdir",
                      "--role", "--type", "--command-timeout", "--other-user"}),
        "sudo");
  } else if (p == "doas") {
    add_if_operands(out, argv, skip_options(argv, 1, "uC"), "doas");
  } else if (p == "env") {
    size_t i = 1;
    while (i < argv.size()) {
      const std::string& text = argv[i].text;
      if ((text == "-S" || text == "--split-string") && i + 1 < argv.size()) {
        Arg script = join(argv, i + 1);
        out.push_back(code_of(script, Language::kShell, "env -S", false));
        return out;
      }
      if (starts_with(text, "--split-string=") || (starts_with(text, "-S") && text.size() > 2)) {
        Arg script = join(argv, i);
        script.text = text.substr(text[1] == 'S' ? 2 : 15) +
                      (i + 1 < argv.size() ? " " + join(argv, i + 1).text : "");
        out.push_back(code_of(script, Language::kShell, "env -S", false));
        return out;
      }
      if (text == "-u" || text == "-C" || text == "--unset" || text == "--chdir") {
        i += 2;
      } else if (text == "--") {
        ++i;
        break;
      } else if ((text.size() > 1 && text[0] == '-') || text.find('=') != std::string::npos) {
        ++i;
      } else {
        break;
      }
    }
    while (i < argv.size() && argv[i].text.find('=') != std::string::npos &&
           argv[i].text[0] != '=') {
      ++i;
    }
    add_if_operands(out, argv, i, "env");
  } else if (p == "nice") {
    add_if_operands(out, argv, skip_options(argv, 1, "n", {"--adjustment"}), "nice");
  } else if (p == "nohup" || p == "setsid" || p == "unbuffer" || p == "catchsegv" ||
             p == "builtin" || p == "coproc" || p == "caffeinate" || p == "proxychains" ||
             p == "proxychains4" || p == "torsocks" || p == "eatmydata" || p == "fakeroot") {
    add_if_operands(out, argv, skip_options(argv, 1, ""), p);
  } else if (p == "time") {
    add_if_operands(out, argv, skip_options(argv, 1, "of", {"--output", "--format"}), "time");
  } else if (p == "command") {
    if (argv.size() > 1 && (argv[1].text == "-v" || argv[1].text == "-V")) return out;
    add_if_operands(out, argv, skip_options(argv, 1, ""), "command");
  } else if (p == "exec") {
    add_if_operands(out, argv, skip_options(argv, 1, "a"), "exec");
  } else if (p == "timeout") {
    size_t i = skip_options(argv, 1, "sk", {"--signal", "--kill-after"});
    add_if_operands(out, argv, i + 1, "timeout");
  } else if (p == "stdbuf") {
    add_if_operands(out, argv, skip_options(argv, 1, "ioe", {"--input", "--output", "--error"}),
                    "stdbuf");
  } else if (p == "ionice") {
    add_if_operands(out, argv, skip_options(argv, 1, "cnpPu", {"--class", "--classdata"}),
                    "ionice");
  } else if (p == "chrt" || p == "taskset") {
    if (argv.size() > 1 && (argv[1].text == "-p" || argv[1].text == "--pid")) return out;
    add_if_operands(out, argv, skip_options(argv, 1, "T") + 1, p);
  } else if (p == "chroot") {
    add_if_operands(out, argv, skip_options(argv, 1, "", {"--userspec", "--groups"}) + 1, "chroot");
  } else if (p == "flock") {
    size_t i = skip_options(argv, 1, "wE", {"--timeout", "--conflict-exit-code"}) + 1;
    if (i + 1 < argv.size() && (argv[i].text == "-c" || argv[i].text == "--command")) {
      out.push_back(code_of(argv[i + 1], Language::kShell, "flock -c", false));
    } else {
      add_if_operands(out, argv, i, "flock");
    }
  } else if (p == "strace" || p == "ltrace") {
    add_if_operands(out, argv, skip_options(argv, 1, "eoOpPsSbuXUaI"), p);
  } else if (p == "systemd-run") {
    add_if_operands(out, argv,
                    skip_options(argv, 1, "pMEu",
                                 {"--unit", "--property", "--description", "--slice", "--uid",
                                  "--gid", "--working-directory", "--setenv", "--machine"}),
                    "systemd-run");
  } else if (p == "busybox") {
    add_if_operands(out, argv, 1, "busybox");
  } else if (p == "xargs") {
    unwrap_xargs(inv, out);
  } else if (p == "find") {
    unwrap_find(inv, out);
  } else if (p == "watch") {
    bool exec = false;
    size_t i = 1;
    for (; i < argv.size() && argv[i].text.size() > 1 && argv[i].text[0] == '-'; ++i) {
      const std::string& text = argv[i].text;
      if (text == "-x" || text == "--exec") exec = true;
      if (text == "-n" || text == "--interval" || text == "-q") ++i;
      if (text == "--") {
        ++i;
        break;
      }
    }
    if (exec) {
      add_if_operands(out, argv, i, "watch -x");
    } else if (i < argv.size()) {
      out.push_back(code_of(join(argv, i), Language::kShell, "watch", false));
    }
  } else if (p == "parallel") {
    unwrap_parallel(inv, out);
  } else if (p == "eval") {
    if (argv.size() > 1) out.push_back(code_of(join(argv, 1), Language::kShell, "eval", false));
  } else if (p == "source" || p == ".") {
    if (argv.size() > 1) out.push_back(file_code(argv[1], Language::kShell, p));
  } else if (p == "su" || p == "runuser") {
    for (size_t i = 1; i < argv.size(); ++i) {
      const std::string& text = argv[i].text;
      if ((text == "-c" || text == "--command") && i + 1 < argv.size()) {
        out.push_back(code_of(argv[i + 1], Language::kShell, p + " -c", false));
        return out;
      }
      if (starts_with(text, "--command=")) {
        Arg code = argv[i];
        code.text = text.substr(10);
        out.push_back(code_of(code, Language::kShell, p + " -c", false));
        return out;
      }
      if (text == "--") {
        add_if_operands(out, argv, i + 1, p);
        return out;
      }
    }
  } else if (p == "ssh") {
    size_t host = skip_options(argv, 1, "BbcDEeFIiJLlmOoPpQRSWw");
    if (host + 1 < argv.size()) {
      out.push_back(code_of(join(argv, host + 1), Language::kShell, "ssh", false));
    }
  } else if (p == "git") {
    unwrap_git_alias(inv, out);
  } else if (p == "vi" || p == "vim" || p == "nvim" || p == "ex" || p == "view") {
    unwrap_editor(inv, out);
  } else if (p == "tar" || p == "rsync") {
    unwrap_command_options(inv, out);
  } else if (p == "make" || p == "gmake") {
    for (size_t i = 1; i + 1 < argv.size(); ++i) {
      if (argv[i].text == "-f" || argv[i].text == "--file" || argv[i].text == "--makefile") {
        out.push_back(file_code(argv[i + 1], Language::kShell, "make -f"));
      }
    }
  } else if (Language language = language_of(p); language == Language::kShell) {
    unwrap_shell(inv, out);
  } else if (language == Language::kAwk) {
    unwrap_awk(inv, out);
  } else if (language != Language::kNone) {
    unwrap_interpreter(inv, language, out);
  }
  return out;
}

}  // namespace omk::guard
