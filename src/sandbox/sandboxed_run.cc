#include "sandbox/sandboxed_run.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/log.h"

namespace omk::sandbox {

process::RunResult run_sandboxed(Sandbox& sandbox, process::RunOptions options) {
  for (int attempt = 0;; ++attempt) {
    options.spawn.setup = sandbox.child_setup();
    process::RunResult result = process::run(options);
    if (!result.start_failure || attempt >= 3) return result;
    const auto& failure = *result.start_failure;
    switch (sandbox.degrade(failure.step, failure.message())) {
      case Sandbox::Degrade::kNotALayer:
        return result;
      case Sandbox::Degrade::kRefused:
        throw policy_error(fmt::format(
            "the sandbox is required (--require-sandbox / sandbox.require) but the kernel refused "
            "it here: {}; run `omk sandbox probe` for details",
            failure.message()));
      case Sandbox::Degrade::kRetry:
        log::debug("sandbox: {}; retrying without that layer", failure.message());
        break;
    }
  }
}

}  // namespace omk::sandbox
