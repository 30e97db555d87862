#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "repl/session.h"

namespace omk::repl {

// A line that starts with '/': the command (lower-cased, with its '/') and the rest.
struct SlashCommand {
  std::string name;
  std::string args;  // trimmed
};

std::optional<SlashCommand> parse_slash(std::string_view line);

// The commands and what they do, for /help and the unknown-command hint.
std::string slash_help();

enum class SlashOutcome { kContinue, kExit };

// Runs a slash command. An unknown one prints a hint listing the commands: a mistyped command
// never becomes a model call.
SlashOutcome run_slash(Session& session, const SlashCommand& command);

}  // namespace omk::repl
