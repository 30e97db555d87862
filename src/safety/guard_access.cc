#include "safety/guard_access.h"

#include <algorithm>
#include <array>

namespace omk::guard {
namespace {

using Kind = FileUse::Kind;

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool is_pseudo_file(std::string_view path) {
  return path == "/dev/null" || path == "/dev/stdout" || path == "/dev/stderr" ||
         path == "/dev/stdin" || path == "/dev/tty" || path == "-" || starts_with(path, "/dev/fd/");
}

void add(std::vector<FileUse>& uses, Kind kind, const Arg& path) {
  if (path.text.empty() || is_pseudo_file(path.text)) return;
  uses.push_back({kind, path});
}

Arg with_text(const Arg& base, std::string text) {
  Arg arg = base;
  arg.text = std::move(text);
  return arg;
}

struct Reader {
  std::string_view program;
  std::string_view short_values;
  int skip_first_operand;  // the pattern / script / filter that comes before the files
};

// Programs whose file operands are read. short_values: options taking a value.
constexpr std::array<Reader, 45> kReaders = {{
    {"cat", "", 0},
    {"tac", "s", 0},
    {"less", "bhjopPtTxy", 0},
    {"more", "n", 0},
    {"head", "nc", 0},
    {"tail", "ncsF", 0},
    {"nl", "bdfhilnpsvw", 0},
    {"bat", "lmrH", 0},
    {"batcat", "lmrH", 0},
    {"od", "AjNtw", 0},
    {"xxd", "cgloOs", 0},
    {"hexdump", "eEfnNs", 0},
    {"strings", "nteo", 0},
    {"base64", "w", 0},
    {"base32", "w", 0},
    {"wc", "", 0},
    {"sort", "kotST", 0},
    {"uniq", "fsw", 0},
    {"cut", "bcdf", 0},
    {"paste", "d", 0},
    {"fold", "w", 0},
    {"rev", "", 0},
    {"md5sum", "", 0},
    {"sha1sum", "", 0},
    {"sha256sum", "", 0},
    {"sha512sum", "", 0},
    {"cksum", "", 0},
    {"diff", "CUIFLWxX", 0},
    {"cmp", "inIs", 0},
    {"comm", "", 0},
    {"grep", "efmABCD", 1},
    {"egrep", "efmABCD", 1},
    {"fgrep", "efmABCD", 1},
    {"rg", "efmABCgjMtTE", 1},
    {"ag", "ABCGgm", 1},
    {"awk", "fvF", 1},
    {"gawk", "fvF", 1},
    {"mawk", "fvF", 1},
    {"sed", "efl", 1},
    {"jq", "", 1},
    {"yq", "", 1},
    {"iconv", "ft", 0},
    {"file", "emfF", 0},
    {"source", "", 0},
    {".", "", 0},
}};

// The pattern/script operand is absent when given with -e/-f (grep -e X file, sed -e s/// f).
bool pattern_given_by_option(const Invocation& invocation) {
  for (size_t i = 1; i < invocation.argv.size(); ++i) {
    const std::string& text = invocation.argv[i].text;
    if (text == "--") break;
    if (text == "-e" || text == "-f" || starts_with(text, "--regexp") ||
        starts_with(text, "--file") || starts_with(text, "--expression")) {
      return true;
    }
  }
  return false;
}

void curl_uploads(const Invocation& invocation, std::vector<FileUse>& uses) {
  const auto& argv = invocation.argv;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& text = argv[i].text;
    auto value_of = [&](std::string_view flag) -> std::optional<Arg> {
      if (text == flag && i + 1 < argv.size()) return argv[++i];
      if (flag.size() == 2 && starts_with(text, flag) && text.size() > 2) {
        return with_text(argv[i], text.substr(2));
      }
      if (flag.size() > 2 && starts_with(text, std::string(flag) + "=")) {
        return with_text(argv[i], text.substr(flag.size() + 1));
      }
      return std::nullopt;
    };
    for (std::string_view flag :
         {"-d", "--data", "--data-binary", "--data-ascii", "--data-urlencode", "--json", "-F",
          "--form", "-T", "--upload-file", "--post-file", "--body-file"}) {
      auto value = value_of(flag);
      if (!value) continue;
      std::string file;
      if (flag == "-T" || flag == "--upload-file" || flag == "--post-file" ||
          flag == "--body-file") {
        file = value->text;
      } else {
        size_t at = value->text.find('@');
        size_t lt = value->text.find('<');
        bool form = flag == "-F" || flag == "--form";
        if (at != std::string::npos && (at == 0 || form || flag == "--data-urlencode")) {
          file = value->text.substr(at + 1);
        } else if (form && lt != std::string::npos) {
          file = value->text.substr(lt + 1);
        }
        file = file.substr(0, file.find(';'));
      }
      if (!file.empty()) add(uses, Kind::kRead, with_text(*value, file));
      break;
    }
  }
}

}  // namespace

bool has_short_flag(const Invocation& invocation, char letter) {
  for (size_t i = 1; i < invocation.argv.size(); ++i) {
    const std::string& text = invocation.argv[i].text;
    if (text == "--") break;
    if (text.size() > 1 && text[0] == '-' && text[1] != '-' &&
        text.find(letter, 1) != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool has_long_flag(const Invocation& invocation, std::string_view name) {
  for (size_t i = 1; i < invocation.argv.size(); ++i) {
    const std::string& text = invocation.argv[i].text;
    if (text == "--") break;
    if (text == name || starts_with(text, std::string(name) + "=")) return true;
  }
  return false;
}

std::vector<size_t> operand_indices(const Invocation& invocation, std::string_view short_values,
                                    std::initializer_list<std::string_view> long_values) {
  std::vector<size_t> operands;
  const auto& argv = invocation.argv;
  bool options_done = false;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& text = argv[i].text;
    if (options_done || argv[i].dynamic || text.size() < 2 || text[0] != '-') {
      operands.push_back(i);
      continue;
    }
    if (text == "--") {
      options_done = true;
      continue;
    }
    if (text[1] == '-') {
      if (text.find('=') == std::string::npos &&
          std::find(long_values.begin(), long_values.end(), text) != long_values.end()) {
        ++i;
      }
      continue;
    }
    for (size_t k = 1; k < text.size(); ++k) {
      if (short_values.find(text[k]) != std::string_view::npos) {
        if (k + 1 == text.size()) ++i;
        break;
      }
    }
  }
  return operands;
}

std::vector<FileUse> file_uses(const Invocation& invocation) {
  std::vector<FileUse> uses;
  for (const auto& redirect : invocation.redirects) {
    const std::string& op = redirect.op;
    if (redirect.input_text) continue;  // here-doc, here-string
    if (op == "<") {
      add(uses, Kind::kRead, redirect.target);
    } else if (op == "<>") {
      add(uses, Kind::kRead, redirect.target);
      add(uses, Kind::kWrite, redirect.target);
    } else if (op == ">&" || op == "<&") {
      const std::string& target = redirect.target.text;
      bool descriptor = target == "-" || std::all_of(target.begin(), target.end(), ::isdigit);
      if (!descriptor && op == ">&") add(uses, Kind::kWrite, redirect.target);
    } else {
      add(uses, Kind::kWrite, redirect.target);
    }
  }
  if (invocation.argv.empty()) return uses;
  const std::string& program = invocation.program;
  const auto& argv = invocation.argv;

  for (const Reader& reader : kReaders) {
    if (reader.program != program) continue;
    auto operands = operand_indices(invocation, reader.short_values);
    size_t skip = reader.skip_first_operand && !pattern_given_by_option(invocation) ? 1 : 0;
    for (size_t k = skip; k < operands.size(); ++k) add(uses, Kind::kRead, argv[operands[k]]);
    if (program == "sed" &&
        (has_short_flag(invocation, 'i') || has_long_flag(invocation, "--in-place"))) {
      for (size_t k = skip; k < operands.size(); ++k) add(uses, Kind::kWrite, argv[operands[k]]);
    }
    return uses;
  }
  if (program == "cp" || program == "mv" || program == "install" || program == "ln" ||
      program == "rsync" || program == "scp") {
    auto operands = operand_indices(invocation, program == "scp" ? "cFiJloPS" : "tSZ",
                                    {"--target-directory", "--suffix", "--backup"});
    std::optional<size_t> target_dir;
    for (size_t i = 1; i + 1 < argv.size(); ++i) {
      if (argv[i].text == "-t" || argv[i].text == "--target-directory") target_dir = i + 1;
    }
    if (target_dir) {
      add(uses, Kind::kWrite, argv[*target_dir]);
      for (size_t index : operands) {
        if (index == *target_dir) continue;
        add(uses, Kind::kRead, argv[index]);
        if (program == "mv") add(uses, Kind::kDelete, argv[index]);
      }
    } else if (operands.size() >= 2) {
      for (size_t k = 0; k + 1 < operands.size(); ++k) {
        if (program == "ln") continue;
        add(uses, Kind::kRead, argv[operands[k]]);
        if (program == "mv") add(uses, Kind::kDelete, argv[operands[k]]);
      }
      add(uses, Kind::kWrite, argv[operands.back()]);
    }
    return uses;
  }
  if (program == "tee" || program == "touch" || program == "truncate" || program == "mkdir" ||
      program == "chmod" || program == "chown" || program == "chgrp" || program == "setfacl" ||
      program == "chattr") {
    auto operands =
        operand_indices(invocation, program == "truncate" ? "sr" : "", {"--size", "--reference"});
    bool mode_first = program == "chmod" || program == "chown" || program == "chgrp" ||
                      program == "setfacl" || program == "chattr";
    for (size_t k = mode_first && !has_long_flag(invocation, "--reference") ? 1 : 0;
         k < operands.size(); ++k) {
      add(uses, Kind::kWrite, argv[operands[k]]);
    }
    return uses;
  }
  if (program == "rm" || program == "unlink" || program == "rmdir" || program == "shred") {
    for (size_t index : operand_indices(invocation, program == "shred" ? "nsx" : "")) {
      add(uses, Kind::kDelete, argv[index]);
    }
    return uses;
  }
  if (program == "dd") {
    for (size_t i = 1; i < argv.size(); ++i) {
      const std::string& text = argv[i].text;
      if (starts_with(text, "if=")) add(uses, Kind::kRead, with_text(argv[i], text.substr(3)));
      if (starts_with(text, "of=")) add(uses, Kind::kWrite, with_text(argv[i], text.substr(3)));
    }
    return uses;
  }
  if (program == "tar" || program == "zip" || program == "7z" || program == "gzip" ||
      program == "xz" || program == "bzip2") {
    // Archivers read what they pack; which operand is the archive depends on the mode, so every
    // operand counts as read (what matters here is packing a secret file).
    for (size_t index : operand_indices(invocation, program == "tar" ? "fCTXbHLNV" : "")) {
      add(uses, Kind::kRead, argv[index]);
    }
    for (size_t i = 1; i + 1 < argv.size(); ++i) {
      if (program == "tar" && argv[i].text.size() > 1 && argv[i].text[0] == '-' &&
          argv[i].text.find('f') != std::string::npos && argv[i].text[1] != '-') {
        add(uses, Kind::kRead, argv[i + 1]);
      }
    }
    return uses;
  }
  if (program == "vi" || program == "vim" || program == "nvim" || program == "nano" ||
      program == "emacs" || program == "code" || program == "ed") {
    for (size_t index : operand_indices(invocation, "")) {
      add(uses, Kind::kRead, argv[index]);
      add(uses, Kind::kWrite, argv[index]);
    }
    return uses;
  }
  if (program == "openssl" || program == "gpg") {
    for (size_t i = 1; i + 1 < argv.size(); ++i) {
      if (argv[i].text == "-in" || argv[i].text == "--decrypt" || argv[i].text == "-d") {
        add(uses, Kind::kRead, argv[i + 1]);
      }
      if (argv[i].text == "-out" || argv[i].text == "-o" || argv[i].text == "--output") {
        add(uses, Kind::kWrite, argv[i + 1]);
      }
    }
    return uses;
  }
  if (program == "curl" || program == "wget" || program == "http" || program == "https") {
    curl_uploads(invocation, uses);
    return uses;
  }
  return uses;
}

}  // namespace omk::guard
