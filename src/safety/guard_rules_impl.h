#pragma once

// Private to the guard_rules_*.cc files: the judging context and the rule families.

#include <functional>
#include <string>
#include <vector>

#include "safety/guard_path.h"
#include "safety/guard_types.h"

namespace omk::guard::rules {

struct Judge {
  const Analysis& analysis;
  const Invocation& invocation;
  size_t index;
  const GuardContext& context;
  std::vector<Reason>& out;

  void add(Decision decision, std::string rule, std::string message, std::string path = {}) const;
  PathFacts facts(const Arg& arg) const;
  // Invocations whose output reaches this one's stdin: earlier stages of its pipeline.
  std::vector<const Invocation*> upstream() const;
  // True when any invocation in `ids` (or any upstream stage when `ids` is empty) matches.
  bool any_of(const std::vector<size_t>& ids,
              const std::function<bool(const Invocation&)>& predicate) const;
};

void judge_files(const Judge& judge);       // rm, find, chmod, disks, protected and secret files
void judge_exec(const Judge& judge);        // remote/decoded/dynamic code, interpreters, sudo
void judge_git(const Judge& judge);         // push, history rewrites, discarding work
void judge_network(const Judge& judge);     // uploads and environment sent to the network
void judge_operations(const Judge& judge);  // clouds, databases, package installs, crontab

bool starts_with(std::string_view text, std::string_view prefix);
std::string lower(std::string_view text);

}  // namespace omk::guard::rules
