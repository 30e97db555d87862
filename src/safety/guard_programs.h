#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "safety/guard_types.h"

namespace omk::guard {

// What the guard knows about well-known programs, shared by the walker (which follows what a
// wrapper runs) and the rules (which judge what runs).

enum class Language { kNone, kShell, kPython, kNode, kPerl, kRuby, kPhp, kAwk };

Language language_of(std::string_view program);  // "bash" -> kShell, "python3.12" -> kPython

// What a wrapper runs instead of itself.
struct Unwrapped {
  enum class Kind {
    kArgv,         // another command line: sudo rm ..., find -exec rm {} ;
    kScript,       // shell code known statically: bash -c '...', eval ..., watch '...'
    kDynamicCode,  // code in a word whose value is not known: bash -c "$(curl ...)"
    kStdinCode,    // an interpreter reading its program from stdin: ... | bash
    kCodeFile,     // an interpreter running a file: bash <(curl ...), source ./x.sh
    kInlineCode,   // interpreter one-liner: python -c '...', node -e '...'
  };
  Kind kind = Kind::kArgv;
  std::vector<Arg> argv;
  std::string code;
  Arg word;  // kDynamicCode, kCodeFile, kInlineCode: the word holding the code or file
  Language language = Language::kShell;
  std::string via;
  std::vector<Arg> positional;  // bash -c 'code' $0 $1 ...: the code's positional parameters
};

std::vector<Unwrapped> unwrap(const Invocation& invocation);

// stdout of echo/printf/pwd/basename/dirname with static arguments (and of cat reading a
// here-document). nullopt when unknown, or when stdout is redirected to a file unless
// `ignore_redirects` (then it is what lands in the file).
std::optional<std::string> static_output(const Invocation& invocation,
                                         bool ignore_redirects = false);

bool is_network_fetch(const Invocation& invocation);  // curl, wget, nc ... bring data in
bool is_decoder(const Invocation& invocation);        // base64 -d, xxd -r, rev, tr ...
bool is_env_dump(const Invocation& invocation);       // env, printenv, set, export -p
bool is_network_tool(std::string_view program);       // anything that talks to a network

// Files a download writes (curl -o F, wget -O F, or the URL's name), relative as written.
std::vector<std::string> fetch_output_files(const Invocation& invocation);

// Parses printf's format with escapes and %s/%b/%d; used for static output and decoding tricks.
std::string emulate_printf(const std::vector<std::string>& args);
std::string decode_echo_escapes(std::string_view text, bool& stop);

}  // namespace omk::guard
