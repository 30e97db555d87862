#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routing/risk.h"

namespace omk::routing {

struct CommandLineRisk {
  Risk risk = Risk::kShell;
  std::string words;  // "git push", "npm test"
};

// When `words` start like a command line someone pasted ("npm test", "git push origin",
// "make -j2", "./scripts/bootstrap"), the risk of running it: merge for commands that publish
// or land something (git push/merge/tag NAME, npm/cargo publish, gh pr create|merge, docker
// push, kubectl apply, terraform apply, ...), shell for everything else.
std::optional<CommandLineRisk> command_line_risk(const std::vector<std::string_view>& words);

// Splits the inside of a `code span` into words.
std::vector<std::string_view> split_words(std::string_view text);

}  // namespace omk::routing
