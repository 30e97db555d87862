// libFuzzer target: the shell parser and the command guard on arbitrary bytes.
// Properties checked on every input: no crash, no sanitizer report, no hang (libFuzzer's
// -timeout), and never "allow" for input the parser refuses. Apply-patch parsing is fuzzed on the
// same bytes.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "safety/guard.h"
#include "safety/guard_patch.h"
#include "safety/shell_ast.h"

namespace {

const omk::guard::Guard& guard() {
  static const omk::guard::Guard instance = [] {
    omk::guard::GuardContext context;
    context.workspace = "/work/project";
    context.cwd = "/work/project";
    context.home = "/home/dev";
    context.current_branch = "feature/fuzz";
    return omk::guard::Guard(context);
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  omk::shell::ParseResult parsed = omk::shell::parse(input);
  omk::guard::Verdict verdict = guard().check_command(input);
  if (parsed.error && verdict.decision != omk::guard::Decision::kDeny) {
    __builtin_trap();  // malformed input must never be allowed
  }
  if (verdict.decision != omk::guard::Decision::kAllow && verdict.reasons.empty()) {
    __builtin_trap();  // every refusal says why
  }
  omk::guard::ParsedPatch patch = omk::guard::parse_apply_patch(input);
  if (patch.error && guard().check_patch(input).decision != omk::guard::Decision::kDeny) {
    __builtin_trap();
  }
  return 0;
}
