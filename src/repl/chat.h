#pragma once

#include "repl/chat_options.h"

namespace omk::repl {

// The root loop (`omk`, `omk chat`): the startup banner, then `omk> ` prompts until exit, each
// line a slash command or a turn. With `options.once` it runs that one turn and returns its exit
// code (printing one omk.turn.v1 document with `options.json`).
int run_chat(ChatOptions options);

}  // namespace omk::repl
