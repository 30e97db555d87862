#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omk::guard {

// allow < ask < deny: combining findings takes the strongest.
enum class Decision { kAllow = 0, kAsk = 1, kDeny = 2 };
std::string_view to_string(Decision decision);

struct Reason {
  Decision decision = Decision::kAllow;
  std::string rule;      // built-in rule id ("rm-root"), or the project rule that matched
  std::string message;   // why, in words a person can act on
  std::string fragment;  // the part of the input that triggered it
  std::string path;      // for file rules: the absolute path judged (lets Read/Edit rules apply)
};

struct Verdict {
  Decision decision = Decision::kAllow;
  std::vector<Reason> reasons;  // every finding that is not "allow", strongest first
  // Every command was allowed by a project allow rule (not merely found harmless): hooks may
  // then pre-approve it in agents that would otherwise ask.
  bool explicitly_allowed = false;
  void add(Reason reason);
  void merge(const Verdict& other);
};

// Where a command runs. Paths are absolute and lexically normal; an empty cwd means unknown.
struct GuardContext {
  std::string workspace;  // the project root
  std::string cwd;        // where the command starts
  std::string home;       // the user's home directory
  std::string tmpdir = "/tmp";
  std::optional<std::string> current_branch;  // of the repository at cwd, when known
  std::vector<std::string> protected_branches = {"main", "master"};
  bool in_virtualenv = false;  // VIRTUAL_ENV/CONDA_PREFIX: pip installs stay local
};

// One word after expansion. Values omk cannot know statically (an unset variable, the output
// of a command) are kept as placeholders and mark the word dynamic.
struct Arg {
  std::string text;
  bool dynamic = false;
  bool glob = false;                // unquoted * ? [
  std::vector<size_t> produced_by;  // invocations whose output forms part of this word
};

struct RedirectUse {
  int fd = -1;
  std::string op;
  Arg target;
  std::optional<std::string> input_text;  // here-doc body or here-string, expanded
  bool input_dynamic = false;
  std::vector<size_t> produced_by;  // substitutions inside a here-doc or here-string
};

// One command that may run, found anywhere in the input: in a pipeline, a substitution, a
// function body, or inside what a wrapper (sudo, bash -c, find -exec ...) runs.
struct Invocation {
  std::vector<Arg> argv;
  std::string program;  // normalised argv[0] ("/bin/rm" -> "rm"); "" when there is none
  std::vector<std::pair<std::string, Arg>> assignments;  // NAME=value before the command
  std::vector<RedirectUse> redirects;
  std::string fragment;  // source text
  std::string cwd;       // empty when a dynamic `cd` made it unknowable
  size_t pipe_id = 0;    // invocations with the same id and stage share stdin/stdout
  size_t stage = 0;
  size_t stages = 1;
  bool background = false;
  std::string via;               // the wrapper that runs this one ("sudo", "bash -c"), if any
  std::optional<size_t> parent;  // the wrapper invocation
  std::vector<std::string> downloaded;  // files a network fetch before this one wrote to
  bool in_virtualenv = false;           // a virtualenv was activated earlier in the line
  bool speculative = false;  // read from code only partly known (eval "rm -rf $X"): judged for
                             // what it visibly does, not for what it cannot show

  bool program_dynamic() const { return !argv.empty() && argv.front().dynamic; }
};

// Everything found in one input.
struct Analysis {
  std::vector<Invocation> invocations;
  std::vector<Reason> findings;  // problems found while taking the input apart
};

// The basename of a program word, without a leading backslash: "/usr/bin/rm" -> "rm".
std::string normalize_program(std::string_view word);

}  // namespace omk::guard
