#include "safety/guard.h"

#include <algorithm>

#include "safety/guard_access.h"
#include "safety/guard_patch.h"
#include "safety/guard_path.h"
#include "safety/guard_rules.h"
#include "safety/guard_walk.h"

namespace omk::guard {
namespace {

ContentSecretScanner& scanner_slot() {
  static ContentSecretScanner scanner;
  return scanner;
}

// The command as a rule sees it: the normalised program name, then the arguments.
std::string rule_text(const Invocation& invocation) {
  std::string text = invocation.program;
  for (size_t i = 1; i < invocation.argv.size(); ++i) text += " " + invocation.argv[i].text;
  return text;
}

struct Accesses {
  std::vector<std::string> reads;
  std::vector<std::string> writes;
};

Accesses accesses_of(const Invocation& invocation) {
  Accesses accesses;
  for (const FileUse& use : file_uses(invocation)) {
    if (use.path.dynamic) continue;
    std::string path = resolve_path(invocation.cwd, use.path.text);
    if (path.empty()) continue;
    (use.kind == FileUse::Kind::kRead ? accesses.reads : accesses.writes).push_back(path);
  }
  return accesses;
}

bool is_read_rule(const std::string& rule) {
  return rule == "secret-read" || rule == "secret-source";
}

}  // namespace

void set_content_secret_scanner(ContentSecretScanner scanner) {
  scanner_slot() = std::move(scanner);
}

bool content_secret_scanner_installed() {
  return static_cast<bool>(scanner_slot());
}

Guard::Guard(GuardContext context, Policy policy)
    : context_(std::move(context)), policy_(std::move(policy)) {
  if (context_.cwd.empty()) context_.cwd = context_.workspace;
}

namespace {

class Decider {
 public:
  Decider(const GuardContext& context, const Policy& policy) : context_(context), policy_(policy) {}

  const PolicyRule* find(const std::vector<PolicyRule>& rules, const std::string& command,
                         const std::string& fragment, const Accesses& accesses) const {
    for (const auto& rule : rules) {
      switch (rule.tool) {
        case PolicyRule::Tool::kBash:
          if (!command.empty() &&
              (rule_matches_command(rule, command) || rule_matches_command(rule, fragment))) {
            return &rule;
          }
          break;
        case PolicyRule::Tool::kRead:
          for (const auto& path : accesses.reads) {
            if (rule_matches_path(rule, path, context_)) return &rule;
          }
          break;
        case PolicyRule::Tool::kEdit:
          for (const auto& path : accesses.writes) {
            if (rule_matches_path(rule, path, context_)) return &rule;
          }
          break;
      }
    }
    return nullptr;
  }

  // A Read/Edit allow rule lifts the built-in findings about the paths it names.
  bool lifted_by_path_rule(const Reason& reason) const {
    if (reason.path.empty()) return false;
    for (const auto& rule : policy_.allow) {
      bool applies = (rule.tool == PolicyRule::Tool::kRead && is_read_rule(reason.rule)) ||
                     (rule.tool == PolicyRule::Tool::kEdit && !is_read_rule(reason.rule));
      if (applies && rule_matches_path(rule, reason.path, context_)) return true;
    }
    return false;
  }

  // Returns true when a project allow rule covered this subject.
  bool decide(Verdict& verdict, const std::vector<Reason>& builtin, const std::string& command,
              const std::string& fragment, const Accesses& accesses) const {
    if (const PolicyRule* rule = find(policy_.deny, command, fragment, accesses)) {
      verdict.add({Decision::kDeny, rule->text, "refused by the project's guard rule " + rule->text,
                   fragment, ""});
      return false;
    }
    if (const PolicyRule* rule = find(policy_.ask, command, fragment, accesses)) {
      verdict.add({Decision::kAsk, rule->text,
                   "the project's guard rule " + rule->text + " asks for a person's approval",
                   fragment, ""});
      for (const auto& reason : builtin) {
        if (reason.decision == Decision::kDeny) verdict.add(reason);
      }
      return false;
    }
    if (const PolicyRule* rule = find(policy_.allow, command, fragment, accesses)) {
      if (rule->tool == PolicyRule::Tool::kBash) return true;
      for (const auto& reason : builtin) {
        if (!lifted_by_path_rule(reason)) verdict.add(reason);
      }
      return true;
    }
    for (const auto& reason : builtin) {
      if (!lifted_by_path_rule(reason)) verdict.add(reason);
    }
    return false;
  }

 private:
  const GuardContext& context_;
  const Policy& policy_;
};

}  // namespace

Verdict Guard::check_command(std::string_view command) const {
  Verdict verdict;
  Analysis analysis = analyze_shell(command, context_);
  for (const auto& finding : analysis.findings) verdict.add(finding);
  Decider decider(context_, policy_);
  bool all_allowed_by_rules = analysis.findings.empty() && !analysis.invocations.empty();
  for (size_t i = 0; i < analysis.invocations.size(); ++i) {
    const Invocation& invocation = analysis.invocations[i];
    std::vector<Reason> builtin = judge_invocation(analysis, i, context_);
    // apply_patch run from the shell (Codex): the patch is the command's input or argument.
    if (invocation.program == "apply_patch" || invocation.program == "applypatch") {
      std::optional<std::string> patch;
      for (const auto& redirect : invocation.redirects) {
        if (redirect.input_text) patch = redirect.input_text;
      }
      if (!patch && invocation.argv.size() > 1) patch = invocation.argv[1].text;
      if (patch) {
        Verdict patch_verdict = check_patch(*patch);
        builtin.insert(builtin.end(), patch_verdict.reasons.begin(), patch_verdict.reasons.end());
      }
    }
    std::string text = invocation.argv.empty() ? "" : rule_text(invocation);
    bool allowed =
        decider.decide(verdict, builtin, text, invocation.fragment, accesses_of(invocation));
    if (!allowed && !invocation.parent) all_allowed_by_rules = false;
  }
  verdict.explicitly_allowed = all_allowed_by_rules && verdict.decision == Decision::kAllow;
  return verdict;
}

Verdict Guard::check_file(FileAction action, std::string_view path,
                          std::string_view content) const {
  Verdict verdict;
  std::string absolute = resolve_path(context_.cwd, path);
  if (path.empty() || absolute.empty()) {
    verdict.add({Decision::kDeny, "file-path", "the file tool names no usable path",
                 std::string(path), ""});
    return verdict;
  }
  std::vector<Reason> builtin;
  std::string fragment(path);
  if (action == FileAction::kRead) {
    std::string secret = secret_file_kind(absolute, context_);
    if (!secret.empty()) {
      builtin.push_back({Decision::kDeny, "secret-read", "reads the " + secret + " " + absolute,
                         fragment, absolute});
    }
  } else {
    std::string protected_kind = protected_path_kind(absolute, context_);
    std::string secret = secret_file_kind(absolute, context_);
    if (!protected_kind.empty()) {
      builtin.push_back({Decision::kDeny, "protected-path",
                         std::string(action == FileAction::kDelete ? "deletes " : "changes ") +
                             absolute + ": " + protected_kind +
                             " may only be changed by a person, never by an agent",
                         fragment, absolute});
    } else if (!secret.empty()) {
      builtin.push_back({Decision::kDeny, "secret-write",
                         "writes the " + secret + " " + absolute +
                             "; keep credentials out of files "
                             "agents edit",
                         fragment, absolute});
    }
    if (!content.empty() && scanner_slot()) {
      if (auto rule = scanner_slot()(content)) {
        verdict.add({Decision::kDeny, "secret-content",
                     "the content written to " + absolute + " contains a secret (" + *rule + ")",
                     fragment, ""});
      }
    }
  }
  Accesses accesses;
  (action == FileAction::kRead ? accesses.reads : accesses.writes).push_back(absolute);
  Decider decider(context_, policy_);
  bool allowed = decider.decide(verdict, builtin, "", fragment, accesses);
  verdict.explicitly_allowed = allowed && verdict.decision == Decision::kAllow;
  return verdict;
}

Verdict Guard::check_patch(std::string_view patch) const {
  Verdict verdict;
  ParsedPatch parsed = parse_apply_patch(patch);
  if (parsed.error) {
    verdict.add(
        {Decision::kDeny, "patch-parse",
         "cannot read the patch (" + *parsed.error + "); a patch omk cannot read is refused",
         std::string(patch.substr(0, 200)), ""});
    return verdict;
  }
  bool all_allowed = !parsed.operations.empty();
  for (const auto& operation : parsed.operations) {
    FileAction action =
        operation.kind == PatchOperation::Kind::kDelete ? FileAction::kDelete : FileAction::kWrite;
    if (operation.move_to) action = FileAction::kDelete;  // the source disappears
    Verdict one = check_file(action, operation.path, operation.added);
    all_allowed = all_allowed && one.explicitly_allowed;
    verdict.merge(one);
    if (operation.move_to) {
      Verdict destination = check_file(FileAction::kWrite, *operation.move_to, operation.added);
      all_allowed = all_allowed && destination.explicitly_allowed;
      verdict.merge(destination);
    }
  }
  verdict.explicitly_allowed = all_allowed && verdict.decision == Decision::kAllow;
  return verdict;
}

}  // namespace omk::guard
