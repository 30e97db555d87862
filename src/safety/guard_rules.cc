#include "safety/guard_rules.h"

#include <algorithm>
#include <cctype>

#include "safety/guard_rules_impl.h"

namespace omk::guard {
namespace rules {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void Judge::add(Decision decision, std::string rule, std::string message, std::string path) const {
  if (!invocation.via.empty()) message += " (run through " + invocation.via + ")";
  out.push_back(
      {decision, std::move(rule), std::move(message), invocation.fragment, std::move(path)});
}

PathFacts Judge::facts(const Arg& arg) const {
  return examine_path(arg, invocation.cwd, context);
}

std::vector<const Invocation*> Judge::upstream() const {
  std::vector<const Invocation*> found;
  for (const auto& other : analysis.invocations) {
    if (other.pipe_id == invocation.pipe_id && other.stage < invocation.stage) {
      found.push_back(&other);
    }
  }
  return found;
}

bool Judge::any_of(const std::vector<size_t>& ids,
                   const std::function<bool(const Invocation&)>& predicate) const {
  if (ids.empty()) {
    for (const Invocation* other : upstream()) {
      if (predicate(*other)) return true;
    }
    return false;
  }
  for (size_t id : ids) {
    if (id < analysis.invocations.size() && predicate(analysis.invocations[id])) return true;
  }
  return false;
}

}  // namespace rules

std::vector<Reason> judge_invocation(const Analysis& analysis, size_t index,
                                     const GuardContext& context) {
  std::vector<Reason> reasons;
  rules::Judge judge{analysis, analysis.invocations[index], index, context, reasons};
  rules::judge_files(judge);
  rules::judge_exec(judge);
  rules::judge_git(judge);
  rules::judge_network(judge);
  rules::judge_operations(judge);
  return reasons;
}

}  // namespace omk::guard
