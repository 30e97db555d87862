#pragma once

#include <memory>

#include "providers/adapter.h"

namespace omk::providers {

// Claude Code's and Qwen Code's `--output-format stream-json`: {"type":"system"...},
// {"type":"assistant","message":{"content":[text | tool_use]}}, {"type":"user", tool_result},
// and a final {"type":"result","result":...,"usage":...,"is_error":...}.
std::unique_ptr<OutputParser> make_claude_stream_parser();

}  // namespace omk::providers
