#include "sandbox/sandboxed_run.h"

#include <fmt/format.h>

#include <cerrno>

#include "core/error.h"
#include "core/log.h"

namespace omk::sandbox {
namespace {

// What a refusal at spawn time usually means, for the report and the probe.
std::string explain(const process::StartFailure& failure) {
  std::string why;
  switch (failure.error) {
    case EPERM:
    case EACCES:
      why =
          "not permitted here (unprivileged user namespaces switched off, an AppArmor or SELinux "
          "policy, or a container's seccomp profile)";
      break;
    case ENOSPC:
    case EUSERS:
      why =
          "the namespace limit is reached (user.max_user_namespaces, or omk runs inside another "
          "sandbox that forbids nesting)";
      break;
    case EINVAL:
    case ENOSYS:
      why = "not supported by this kernel";
      break;
    default:
      break;
  }
  return why.empty() ? failure.message() : failure.message() + ": " + why;
}

[[noreturn]] void refuse(const std::string& why) {
  throw policy_error(fmt::format(
      "the sandbox is required (--require-sandbox / sandbox.require) but the kernel refused "
      "it here: {}; run `omk sandbox probe` for details",
      why));
}

}  // namespace

process::Child spawn_sandboxed(Sandbox& sandbox, process::SpawnOptions options) {
  for (int attempt = 0;; ++attempt) {
    options.setup = sandbox.child_setup();
    try {
      return process::Child::spawn(options);
    } catch (const process::SpawnError& error) {
      if (attempt >= 3) throw;
      process::StartFailure failure{error.step(), error.error()};
      switch (sandbox.degrade(failure.step, explain(failure))) {
        case Sandbox::Degrade::kNotALayer:
          throw;
        case Sandbox::Degrade::kRefused:
          refuse(explain(failure));
        case Sandbox::Degrade::kRetry:
          log::debug("sandbox: {}; retrying without that layer", failure.message());
          break;
      }
    }
  }
}

process::RunResult run_sandboxed(Sandbox& sandbox, process::RunOptions options) {
  for (int attempt = 0;; ++attempt) {
    options.spawn.setup = sandbox.child_setup();
    process::RunResult result = process::run(options);
    if (!result.start_failure || attempt >= 3) return result;
    const auto& failure = *result.start_failure;
    switch (sandbox.degrade(failure.step, explain(failure))) {
      case Sandbox::Degrade::kNotALayer:
        return result;
      case Sandbox::Degrade::kRefused:
        refuse(explain(failure));
      case Sandbox::Degrade::kRetry:
        log::debug("sandbox: {}; retrying without that layer", failure.message());
        break;
    }
  }
}

}  // namespace omk::sandbox
