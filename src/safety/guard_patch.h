#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omk::guard {

// One file operation of a Codex apply_patch envelope:
//   *** Begin Patch / *** Add File: p / *** Update File: p [*** Move to: q] / *** Delete File: p
//   / *** End Patch
struct PatchOperation {
  enum class Kind { kAdd, kUpdate, kDelete };
  Kind kind = Kind::kAdd;
  std::string path;
  std::optional<std::string> move_to;
  std::string added;  // the lines the patch adds ("+" lines), for the secret scan
};

struct ParsedPatch {
  std::vector<PatchOperation> operations;
  std::optional<std::string> error;  // what makes the envelope unreadable
};

ParsedPatch parse_apply_patch(std::string_view text);

}  // namespace omk::guard
