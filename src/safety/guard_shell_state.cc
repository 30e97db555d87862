#include "safety/guard_shell_state.h"

#include "safety/guard_path.h"
#include "safety/guard_programs.h"

namespace omk::guard {

void apply_shell_effects(const Invocation& invocation, ShellState& state,
                         const GuardContext& context) {
  const std::string& program = invocation.program;
  const auto& argv = invocation.argv;
  if (program == "cd" || program == "pushd") {
    size_t i = 1;
    while (i < argv.size() && argv[i].text.size() > 1 && argv[i].text[0] == '-') ++i;
    if (i >= argv.size()) {
      state.cwd = context.home;
    } else if (argv[i].dynamic || argv[i].text == "-") {
      state.cwd.clear();
    } else {
      state.cwd = resolve_path(state.cwd, argv[i].text);
    }
  } else if ((program == "source" || program == ".") && argv.size() > 1 && !argv[1].dynamic &&
             argv[1].text.size() >= 12 &&
             argv[1].text.compare(argv[1].text.size() - 12, 12, "bin/activate") == 0) {
    std::string venv = resolve_path(state.cwd, argv[1].text + "/../..");
    state.vars["VIRTUAL_ENV"] = venv.empty() ? argv[1].text : venv;
  } else if (program == "popd") {
    state.cwd.clear();
  } else if (program == "export" || program == "declare" || program == "local" ||
             program == "typeset" || program == "readonly") {
    for (size_t i = 1; i < argv.size(); ++i) {
      const std::string& text = argv[i].text;
      size_t eq = text.find('=');
      if (text.empty() || text[0] == '-' || eq == std::string::npos || eq == 0) continue;
      std::string name = text.substr(0, eq);
      if (!name.empty() && name.back() == '+') continue;
      if (argv[i].dynamic) {
        state.vars[name] = std::nullopt;
      } else {
        state.vars[name] = text.substr(eq + 1);
      }
    }
  } else if (program == "unset") {
    for (size_t i = 1; i < argv.size(); ++i) {
      if (!argv[i].text.empty() && argv[i].text[0] != '-') state.vars[argv[i].text] = "";
    }
  } else if (program == "read" || program == "mapfile" || program == "readarray") {
    for (size_t i = 1; i < argv.size(); ++i) {
      const std::string& text = argv[i].text;
      if (!text.empty() && text[0] != '-') state.vars[text] = std::nullopt;
    }
  }
}

void remember_written_script(const Invocation& invocation, ShellState& state) {
  for (const auto& redirect : invocation.redirects) {
    bool stdout_to_file = (redirect.fd == -1 || redirect.fd == 1) &&
                          (redirect.op == ">" || redirect.op == ">>" || redirect.op == ">|");
    if (!stdout_to_file || redirect.target.dynamic) continue;
    std::string path = resolve_path(state.cwd, redirect.target.text);
    if (path.empty()) continue;
    auto text = static_output(invocation, true);
    if (!text) {
      state.written.erase(path);
    } else if (redirect.op == ">>") {
      state.written[path] += *text;
    } else {
      state.written[path] = *text;
    }
  }
}

}  // namespace omk::guard
