#include "core/log.h"

#include <atomic>
#include <cstdlib>

#include "core/output.h"

namespace omk::log {
namespace {

std::atomic<int>& debug_state() {
  // -1: not yet read from the environment.
  static std::atomic<int> state{-1};
  return state;
}

}  // namespace

bool debug_enabled() {
  int state = debug_state().load();
  if (state < 0) {
    const char* value = std::getenv("OMK_DEBUG");
    state = (value != nullptr && std::string_view(value) == "1") ? 1 : 0;
    debug_state().store(state);
  }
  return state == 1;
}

void set_debug_enabled(bool enabled) {
  debug_state().store(enabled ? 1 : 0);
}

void write(std::string_view level, std::string_view message) {
  print_err(fmt::format("omk: {}: {}\n", level, message));
}

}  // namespace omk::log
