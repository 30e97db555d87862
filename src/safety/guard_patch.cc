#include "safety/guard_patch.h"

#include "core/text.h"

namespace omk::guard {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

ParsedPatch parse_apply_patch(std::string_view text) {
  ParsedPatch patch;
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  size_t i = 0;
  while (i < lines.size() && trim_line(lines[i]).empty()) ++i;
  if (i >= lines.size() || trim_line(lines[i]) != "*** Begin Patch") {
    patch.error = "the patch does not start with '*** Begin Patch'";
    return patch;
  }
  bool ended = false;
  for (++i; i < lines.size(); ++i) {
    std::string_view header = trim_line(lines[i]);
    if (header == "*** End Patch") {
      ended = true;
      break;
    }
    if (starts_with(header, "*** ")) {
      PatchOperation operation;
      if (starts_with(header, "*** Add File: ")) {
        operation.kind = PatchOperation::Kind::kAdd;
        operation.path = std::string(trim_line(header.substr(14)));
      } else if (starts_with(header, "*** Update File: ")) {
        operation.kind = PatchOperation::Kind::kUpdate;
        operation.path = std::string(trim_line(header.substr(17)));
      } else if (starts_with(header, "*** Delete File: ")) {
        operation.kind = PatchOperation::Kind::kDelete;
        operation.path = std::string(trim_line(header.substr(17)));
      } else if (starts_with(header, "*** Move to: ") && !patch.operations.empty()) {
        patch.operations.back().move_to = std::string(trim_line(header.substr(13)));
        continue;
      } else if (header == "*** End of File") {
        continue;
      } else {
        patch.error = "unknown patch header '" + std::string(header) + "'";
        return patch;
      }
      if (operation.path.empty()) {
        patch.error = "a patch header names no file: '" + std::string(header) + "'";
        return patch;
      }
      patch.operations.push_back(std::move(operation));
      continue;
    }
    if (patch.operations.empty()) {
      patch.error = "patch content before any '*** Add/Update/Delete File:' header";
      return patch;
    }
    if (!lines[i].empty() && lines[i].front() == '+') {
      patch.operations.back().added.append(lines[i].substr(1));
      patch.operations.back().added += '\n';
    }
  }
  if (!ended) patch.error = "the patch does not end with '*** End Patch'";
  return patch;
}

}  // namespace omk::guard
