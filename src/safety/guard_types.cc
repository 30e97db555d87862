#include "safety/guard_types.h"

#include <algorithm>

namespace omk::guard {

std::string_view to_string(Decision decision) {
  switch (decision) {
    case Decision::kAllow:
      return "allow";
    case Decision::kAsk:
      return "ask";
    case Decision::kDeny:
      return "deny";
  }
  return "deny";
}

void Verdict::add(Reason reason) {
  if (reason.decision == Decision::kAllow) return;
  decision = std::max(decision, reason.decision);
  for (const auto& existing : reasons) {
    if (existing.rule == reason.rule && existing.fragment == reason.fragment &&
        existing.decision == reason.decision) {
      return;  // the same finding reached twice (a wrapper and what it wraps)
    }
  }
  // Strongest first, otherwise in the order found.
  auto at = std::find_if(reasons.begin(), reasons.end(), [&](const Reason& existing) {
    return existing.decision < reason.decision;
  });
  reasons.insert(at, std::move(reason));
}

void Verdict::merge(const Verdict& other) {
  for (const auto& reason : other.reasons) add(reason);
}

std::string normalize_program(std::string_view word) {
  while (!word.empty() && word.front() == '\\') word.remove_prefix(1);
  while (word.size() > 1 && word.back() == '/') word.remove_suffix(1);
  size_t slash = word.rfind('/');
  if (slash != std::string_view::npos) word.remove_prefix(slash + 1);
  return std::string(word);
}

}  // namespace omk::guard
