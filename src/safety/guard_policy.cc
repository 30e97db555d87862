#include "safety/guard_policy.h"

#include <algorithm>
#include <vector>

#include "safety/guard_path.h"

namespace omk::guard {
namespace {

std::string collapse_spaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool space = c == ' ' || c == '\t' || c == '\n';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, bool path_mode) {
  // The set of pattern positions reachable after each text character: O(pattern) memory and
  // O(pattern x text) time, with no backtracking blow-up on hostile patterns.
  const size_t n = pattern.size();
  auto is_double_star = [&](size_t i) {
    return pattern[i] == '*' && i + 1 < n && pattern[i + 1] == '*';
  };
  auto close = [&](std::vector<char>& states) {
    for (size_t i = 0; i < n; ++i) {
      if (!states[i] || pattern[i] != '*') continue;
      if (is_double_star(i)) {
        states[i + 2] = 1;
        // "**/" also matches no directory at all: "src/**/x" matches "src/x".
        if (i + 2 < n && pattern[i + 2] == '/') states[i + 3] = 1;
      } else {
        states[i + 1] = 1;
      }
    }
  };
  std::vector<char> states(n + 1, 0);
  std::vector<char> next(n + 1, 0);
  states[0] = 1;
  close(states);
  for (char c : text) {
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    for (size_t i = 0; i < n; ++i) {
      if (!states[i]) continue;
      char p = pattern[i];
      if (p == '*') {
        if (is_double_star(i) || !path_mode || c != '/') {
          next[i] = 1;
          any = true;
        }
      } else if ((p == '?' && (!path_mode || c != '/')) || p == c) {
        next[i + 1] = 1;
        any = true;
      }
    }
    if (!any) return false;
    close(next);
    states.swap(next);
  }
  return states[n] != 0;
}

std::optional<PolicyRule> parse_policy_rule(std::string_view text, std::string& error) {
  std::string trimmed = collapse_spaces(text);
  PolicyRule rule;
  rule.text = trimmed;
  size_t open = trimmed.find('(');
  std::string tool = trimmed.substr(0, open);
  if (open != std::string::npos) {
    if (trimmed.back() != ')') {
      error = "\"" + trimmed + "\" has no closing ')'; write Tool(pattern), e.g. Bash(git push:*)";
      return std::nullopt;
    }
    rule.specifier = trimmed.substr(open + 1, trimmed.size() - open - 2);
    if (rule.specifier.empty()) {
      error = "\"" + trimmed + "\" has an empty pattern; write the bare tool name to match all";
      return std::nullopt;
    }
  }
  if (tool == "Bash") {
    rule.tool = PolicyRule::Tool::kBash;
  } else if (tool == "Read") {
    rule.tool = PolicyRule::Tool::kRead;
  } else if (tool == "Edit" || tool == "Write" || tool == "MultiEdit") {
    rule.tool = PolicyRule::Tool::kEdit;
  } else {
    error = "\"" + trimmed +
            "\": omk's guard understands Bash(...), Read(...), Edit(...) and "
            "Write(...) rules";
    return std::nullopt;
  }
  if (rule.tool == PolicyRule::Tool::kBash) {
    size_t colon_star = rule.specifier.find(":*");
    if (colon_star != std::string::npos && colon_star + 2 != rule.specifier.size()) {
      error = "\"" + trimmed + "\": ':*' is only allowed at the end of a Bash pattern";
      return std::nullopt;
    }
  }
  return rule;
}

bool rule_matches_command(const PolicyRule& rule, std::string_view command) {
  if (rule.tool != PolicyRule::Tool::kBash) return false;
  if (rule.specifier.empty()) return true;
  std::string text = collapse_spaces(command);
  const std::string& spec = rule.specifier;
  if (spec.size() >= 2 && spec.compare(spec.size() - 2, 2, ":*") == 0) {
    std::string prefix = collapse_spaces(spec.substr(0, spec.size() - 2));
    return text == prefix || starts_with(text, prefix + " ");
  }
  if (spec.find('*') != std::string::npos) {
    if (glob_match(spec, text, false)) return true;
    // "ls *" also matches a bare "ls".
    return spec.size() > 2 && spec.compare(spec.size() - 2, 2, " *") == 0 &&
           text == collapse_spaces(spec.substr(0, spec.size() - 2));
  }
  return text == collapse_spaces(spec);
}

bool rule_matches_path(const PolicyRule& rule, std::string_view absolute_path,
                       const GuardContext& context) {
  if (rule.tool == PolicyRule::Tool::kBash || absolute_path.empty()) return false;
  if (rule.specifier.empty()) return true;
  std::string spec = rule.specifier;
  bool directory = spec.size() > 1 && spec.back() == '/';
  if (directory) spec.pop_back();
  std::string pattern;
  if (starts_with(spec, "//")) {
    pattern = spec.substr(1);
  } else if (starts_with(spec, "~/")) {
    pattern = context.home + spec.substr(1);
  } else if (starts_with(spec, "/")) {
    pattern = context.workspace + spec;
  } else if (starts_with(spec, "./") || spec.find('/') != std::string::npos) {
    pattern = context.workspace + "/" + (starts_with(spec, "./") ? spec.substr(2) : spec);
  } else {
    pattern = "**/" + spec;  // a bare name matches at any depth
  }
  if (!starts_with(pattern, "**/")) pattern = normalize_path(pattern);
  // A rule naming a directory (or matching one) covers everything below it.
  std::string_view path = absolute_path;
  while (true) {
    if (glob_match(pattern, path, true)) return true;
    size_t slash = path.rfind('/');
    if (slash == std::string_view::npos || slash == 0) return false;
    path = path.substr(0, slash);
  }
}

}  // namespace omk::guard
