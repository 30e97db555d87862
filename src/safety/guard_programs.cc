#include "safety/guard_programs.h"

#include <algorithm>
#include <array>

namespace omk::guard {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool all_static(const Invocation& invocation) {
  return std::none_of(invocation.argv.begin(), invocation.argv.end(),
                      [](const Arg& arg) { return arg.dynamic; });
}

bool any_arg(const Invocation& invocation, std::initializer_list<std::string_view> flags) {
  for (size_t i = 1; i < invocation.argv.size(); ++i) {
    for (std::string_view flag : flags) {
      if (invocation.argv[i].text == flag) return true;
    }
  }
  return false;
}

// A short option letter anywhere in a cluster ("-rd" has 'd'), before "--".
bool has_short(const Invocation& invocation, char letter) {
  for (size_t i = 1; i < invocation.argv.size(); ++i) {
    const std::string& text = invocation.argv[i].text;
    if (text == "--") break;
    if (text.size() > 1 && text[0] == '-' && text[1] != '-' &&
        text.find(letter) != std::string::npos) {
      return true;
    }
  }
  return false;
}

uint32_t hex_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<uint32_t>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<uint32_t>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<uint32_t>(c - 'A' + 10);
  return 16;
}

}  // namespace

Language language_of(std::string_view program) {
  static constexpr std::array<std::string_view, 9> kShells = {"sh",   "bash", "zsh",  "dash", "ksh",
                                                              "mksh", "ash",  "fish", "yash"};
  if (std::find(kShells.begin(), kShells.end(), program) != kShells.end()) {
    return Language::kShell;
  }
  if (starts_with(program, "python") || program == "pypy" || program == "pypy3") {
    return Language::kPython;
  }
  if (program == "node" || program == "nodejs" || program == "bun" || program == "deno") {
    return Language::kNode;
  }
  if (starts_with(program, "perl")) return Language::kPerl;
  if (starts_with(program, "ruby")) return Language::kRuby;
  if (starts_with(program, "php")) return Language::kPhp;
  if (program == "awk" || program == "gawk" || program == "mawk" || program == "nawk") {
    return Language::kAwk;
  }
  return Language::kNone;
}

std::string decode_echo_escapes(std::string_view text, bool& stop) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    char e = text[++i];
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case 'e':
        out += '\x1b';
        break;
      case '\\':
        out += '\\';
        break;
      case 'c':
        stop = true;
        return out;
      case 'x': {
        uint32_t value = 0;
        size_t digits = 0;
        while (digits < 2 && i + 1 < text.size() && hex_value(text[i + 1]) < 16) {
          value = value * 16 + hex_value(text[++i]);
          ++digits;
        }
        if (digits == 0) {
          out += "\\x";
        } else {
          out += static_cast<char>(value);
        }
        break;
      }
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        // printf: \NNN; echo -e: \0NNN. Both read up to three octal digits after the first.
        uint32_t value = e == '0' ? 0 : static_cast<uint32_t>(e - '0');
        size_t digits = e == '0' ? 0 : 1;
        while (digits < 3 && i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '7') {
          value = value * 8 + static_cast<uint32_t>(text[++i] - '0');
          ++digits;
        }
        out += static_cast<char>(value & 0xFF);
        break;
      }
      default:
        out += '\\';
        out += e;
    }
  }
  return out;
}

std::string emulate_printf(const std::vector<std::string>& args) {
  if (args.empty()) return {};
  const std::string& format = args.front();
  size_t next = 1;
  std::string out;
  bool stop = false;
  // printf repeats the format while arguments remain; bounded to keep hostile input cheap.
  for (int round = 0; round < 64 && !stop; ++round) {
    bool consumed = false;
    for (size_t i = 0; i < format.size() && !stop; ++i) {
      char c = format[i];
      if (c == '%' && i + 1 < format.size()) {
        size_t j = i + 1;
        while (j < format.size() &&
               std::string_view("-+ #0123456789.").find(format[j]) != std::string_view::npos) {
          ++j;
        }
        if (j >= format.size()) break;
        char spec = format[j];
        i = j;
        if (spec == '%') {
          out += '%';
          continue;
        }
        std::string value = next < args.size() ? args[next] : "";
        if (next < args.size()) {
          ++next;
          consumed = true;
        }
        out += spec == 'b' ? decode_echo_escapes(value, stop) : value;
      } else if (c == '\\') {
        size_t end = i + 1;
        if (end < format.size() && format[end] == 'x') {
          end += 1;
          while (end < format.size() && end < i + 4 && hex_value(format[end]) < 16) ++end;
        } else if (end < format.size() && format[end] >= '0' && format[end] <= '7') {
          while (end < format.size() && end < i + 4 && format[end] >= '0' && format[end] <= '7') {
            ++end;
          }
        } else {
          end = std::min(format.size(), end + 1);
        }
        std::string_view escape(format.data() + i, end - i);
        bool ignored = false;
        if (escape.size() > 1 && escape[1] >= '0' && escape[1] <= '7') {
          // printf's \NNN has no leading zero requirement: decode it directly.
          uint32_t value = 0;
          for (size_t k = 1; k < escape.size(); ++k) {
            value = value * 8 + static_cast<uint32_t>(escape[k] - '0');
          }
          out += static_cast<char>(value & 0xFF);
        } else {
          out += decode_echo_escapes(escape, ignored);
        }
        i = end - 1;
      } else {
        out += c;
      }
    }
    if (!consumed || next >= args.size()) break;
  }
  return out;
}

std::optional<std::string> static_output(const Invocation& invocation, bool ignore_redirects) {
  if (invocation.argv.empty() || !all_static(invocation)) return std::nullopt;
  for (const auto& redirect : invocation.redirects) {
    if (ignore_redirects) break;
    if (redirect.fd == -1 || redirect.fd == 1) {
      if (redirect.op == ">" || redirect.op == ">>" || redirect.op == "&>" || redirect.op == ">|") {
        return std::nullopt;  // the output goes to a file, not down the pipe
      }
    }
  }
  const std::string& program = invocation.program;
  std::vector<std::string> args;
  for (size_t i = 1; i < invocation.argv.size(); ++i) args.push_back(invocation.argv[i].text);
  if (program == "echo") {
    bool newline = true;
    bool escapes = false;
    size_t i = 0;
    for (; i < args.size(); ++i) {
      const std::string& flag = args[i];
      if (flag.size() < 2 || flag[0] != '-' ||
          flag.find_first_not_of("neE", 1) != std::string::npos) {
        break;
      }
      if (flag.find('n') != std::string::npos) newline = false;
      if (flag.find('e') != std::string::npos) escapes = true;
      if (flag.find('E') != std::string::npos) escapes = false;
    }
    std::string out;
    bool stop = false;
    for (size_t j = i; j < args.size() && !stop; ++j) {
      if (j > i) out += ' ';
      out += escapes ? decode_echo_escapes(args[j], stop) : args[j];
    }
    if (newline && !stop) out += '\n';
    return out;
  }
  if (program == "printf") {
    if (!args.empty() && args.front() == "--") args.erase(args.begin());
    if (!args.empty() && args.front() == "-v") return std::nullopt;
    return emulate_printf(args);
  }
  if (program == "pwd" && !invocation.cwd.empty()) return invocation.cwd + "\n";
  if (program == "cat" && (args.empty() || (args.size() == 1 && args[0] == "-"))) {
    // cat <<EOF | sh: the here-document is what flows down the pipe.
    for (const auto& redirect : invocation.redirects) {
      if (redirect.input_text) return redirect.input_text;
    }
  }
  if ((program == "basename" || program == "dirname") && args.size() == 1) {
    std::string path = args.front();
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    size_t slash = path.rfind('/');
    if (program == "basename")
      return (slash == std::string::npos ? path : path.substr(slash + 1)) + "\n";
    if (slash == std::string::npos) return std::string(".\n");
    return (slash == 0 ? std::string("/") : path.substr(0, slash)) + "\n";
  }
  return std::nullopt;
}

bool is_network_tool(std::string_view program) {
  static constexpr std::array<std::string_view, 16> kTools = {
      "curl", "wget",  "nc",  "ncat",   "netcat", "socat", "scp", "sftp",
      "ftp",  "rsync", "ssh", "telnet", "http",   "https", "xh",  "aria2c"};
  return std::find(kTools.begin(), kTools.end(), program) != kTools.end();
}

bool is_network_fetch(const Invocation& invocation) {
  static constexpr std::array<std::string_view, 12> kFetchers = {
      "curl",   "wget", "fetch", "http",   "https", "xh",
      "aria2c", "nc",   "ncat",  "netcat", "socat", "lwp-request"};
  return std::find(kFetchers.begin(), kFetchers.end(), invocation.program) != kFetchers.end();
}

bool is_decoder(const Invocation& invocation) {
  const std::string& program = invocation.program;
  if (program == "base64" || program == "base32" || program == "basenc") {
    return has_short(invocation, 'd') || has_short(invocation, 'D') ||
           any_arg(invocation, {"--decode"});
  }
  if (program == "xxd") return has_short(invocation, 'r') || any_arg(invocation, {"-revert"});
  if (program == "openssl") {
    return any_arg(invocation, {"-d", "base64", "enc", "-base64", "-a"});
  }
  if (program == "gzip" || program == "bzip2" || program == "xz" || program == "zstd") {
    return has_short(invocation, 'd') || any_arg(invocation, {"--decompress"});
  }
  static constexpr std::array<std::string_view, 10> kAlways = {
      "uudecode", "gunzip", "zcat", "bunzip2", "bzcat", "unxz", "xzcat", "rev", "tr", "unzstd"};
  return std::find(kAlways.begin(), kAlways.end(), program) != kAlways.end();
}

bool is_env_dump(const Invocation& invocation) {
  const std::string& program = invocation.program;
  size_t args = invocation.argv.size();
  if (program == "printenv") return true;
  if (program == "env") {
    for (size_t i = 1; i < args; ++i) {
      const std::string& text = invocation.argv[i].text;
      if (text.empty() || text[0] != '-') {
        if (text.find('=') == std::string::npos) return false;  // env runs a command
      }
    }
    return true;
  }
  if (program == "set" || program == "export" || program == "declare" || program == "typeset") {
    if (args == 1) return true;
    return any_arg(invocation, {"-p", "-x", "-px"});
  }
  if (program == "compgen") return any_arg(invocation, {"-e", "-v"});
  for (size_t i = 1; i < args; ++i) {
    const std::string& text = invocation.argv[i].text;
    if (starts_with(text, "/proc/") && text.size() >= 8 &&
        text.compare(text.size() - 8, 8, "/environ") == 0) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> fetch_output_files(const Invocation& invocation) {
  std::vector<std::string> files;
  const std::string& program = invocation.program;
  if (program != "curl" && program != "wget") return files;
  std::string url;
  bool remote_name = program == "wget";
  for (size_t i = 1; i < invocation.argv.size(); ++i) {
    const std::string& text = invocation.argv[i].text;
    std::string next = i + 1 < invocation.argv.size() ? invocation.argv[i + 1].text : "";
    if (program == "curl") {
      if (text == "-o" || text == "--output") {
        files.push_back(next);
        ++i;
      } else if (starts_with(text, "--output=")) {
        files.push_back(text.substr(9));
      } else if (starts_with(text, "-o") && text.size() > 2 && text[1] == 'o') {
        files.push_back(text.substr(2));
      } else if (text == "-O" || text == "--remote-name" ||
                 (text.size() > 1 && text[0] == '-' && text[1] != '-' &&
                  text.find('O') != std::string::npos)) {
        remote_name = true;
      }
    } else {
      if (text == "-O" || text == "--output-document") {
        if (next != "-") files.push_back(next);
        remote_name = false;
        ++i;
      } else if (starts_with(text, "--output-document=")) {
        if (text.substr(18) != "-") files.push_back(text.substr(18));
        remote_name = false;
      } else if (starts_with(text, "-O") && text.size() > 2) {
        if (text.substr(2) != "-") files.push_back(text.substr(2));
        remote_name = false;
      }
    }
    if (text.find("://") != std::string::npos) url = text;
  }
  if (remote_name && !url.empty()) {
    std::string path = url.substr(url.find("://") + 3);
    path = path.substr(0, path.find_first_of("?#"));
    size_t slash = path.rfind('/');
    if (slash != std::string::npos && slash + 1 < path.size())
      files.push_back(path.substr(slash + 1));
  }
  for (const auto& redirect : invocation.redirects) {
    if ((redirect.fd == -1 || redirect.fd == 1) && (redirect.op == ">" || redirect.op == ">>")) {
      files.push_back(redirect.target.text);
    }
  }
  return files;
}

}  // namespace omk::guard
