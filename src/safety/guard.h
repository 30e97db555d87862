#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "safety/guard_policy.h"
#include "safety/guard_types.h"

namespace omk::guard {

enum class FileAction { kRead, kWrite, kDelete };

// The command guard: decides allow / ask / deny for a shell command, a file access or a patch,
// from what it does (see guard_walk.h and guard_rules.h) and the project's rules.
//
// Order, per command found in the input: a project deny rule denies; else a project ask rule
// asks (it cannot lower a built-in deny); else a project allow rule allows, lifting built-in
// findings for that command; else the built-in rules decide. The whole input takes the strongest
// decision. Input that cannot be parsed is denied and no rule lifts that. Nothing here reads the
// environment: an agent cannot switch the guard off by setting a variable.
class Guard {
 public:
  explicit Guard(GuardContext context, Policy policy = {});

  Verdict check_command(std::string_view command) const;
  Verdict check_file(FileAction action, std::string_view path, std::string_view content = {}) const;
  Verdict check_patch(std::string_view patch) const;

  const GuardContext& context() const { return context_; }
  const Policy& policy() const { return policy_; }

 private:
  GuardContext context_;
  Policy policy_;
};

// Judges content an agent is about to write: the id of the secret rule it matches, or nullopt.
// The guard engine itself is plain C++ (it is fuzzed on its own); make_project_guard installs
// the built-in secret rules (install_builtin_content_scanner in guard_setup.h). Without a
// scanner only paths are judged.
using ContentSecretScanner = std::function<std::optional<std::string>(std::string_view content)>;
void set_content_secret_scanner(ContentSecretScanner scanner);
bool content_secret_scanner_installed();

}  // namespace omk::guard
